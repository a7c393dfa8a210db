// `waonboard/sandbox` (Node only): the provider simulator on 127.0.0.1.

export type SandboxProvider = 'meta' | 'vonage' | 'digital99' | '99digital';

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Seed of the codes, ids and tokens, for repeatable runs. */
  seed?: number;
  /** Send this 6-digit code every time instead of random ones. */
  fixedOtp?: string;
}

/** The simulator of Meta, Vonage and 99digital, listening until `close()`. */
export declare class Sandbox {
  private constructor();
  /** `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`). */
  readonly url: string;
  /** Base URLs, fake credentials and seeded ids (the same as `GET /_sim/seed`). */
  readonly seed: Record<string, Record<string, unknown>>;
  /** The base URL a client uses for `provider`. */
  baseUrl(provider: SandboxProvider): string;
  /** The `WAONBOARD_*` variables that point the CLI and the README examples here. */
  env(): Record<string, string>;
  /** The code waiting for a number (Meta: phone_number_id; Vonage: deployment_id; 99digital: digits), or null. */
  otp(provider: SandboxProvider, key: string): Promise<string | null>;
  /** Stops listening; requests held by a fault end unanswered. */
  close(): Promise<void>;
}

/** Starts the simulator on 127.0.0.1 (loopback only: its credentials are fake). */
export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
