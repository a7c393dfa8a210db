//! What `waonboard ops` and `waonboard <provider>` list: each operation with its
//! parameters; and "did you mean" for an operation id that is not one.
//!
//! The core reads parameters inside each operation and keeps no table of them, so the
//! table is here, in the contract's order (docs/contract.md, "Parameters, per
//! operation"). `cli/tests/ops.rs` holds it to the core: the same operations as
//! `Operation::ALL`, every listed parameter one the core takes, every required one
//! refused when missing, and every parameter of the shared vectors listed.

use waonboard::{Error, Operation, Provider};

use crate::secrets::env_vars;

/// Each operation's parameters: `name` is required, `[name]` optional.
const PARAMS: [(Operation, &[&str]); 41] = [
    (Operation::MetaRequestCode, &["phone_number_id", "code_method", "language"]),
    (Operation::MetaVerifyCode, &["phone_number_id", "code"]),
    (Operation::MetaRegister, &["phone_number_id", "pin", "[data_localization_region]", "[backup]", "[tier]"]),
    (Operation::MetaDeregister, &["phone_number_id"]),
    (Operation::MetaSetTwoStepPin, &["phone_number_id", "pin"]),
    (Operation::MetaGetPhoneNumber, &["phone_number_id", "[fields]"]),
    (
        Operation::MetaListPhoneNumbers,
        &["waba_id", "[fields]", "[filtering]", "[sort]", "[limit]", "[after]", "[before]"],
    ),
    (
        Operation::MetaAddPhoneNumber,
        &["waba_id", "phone_number", "verified_name", "[country]", "[migrate_phone_number]", "[preverified_id]"],
    ),
    (Operation::MetaAddPreverifiedNumber, &["business_id", "phone_number", "[country]"]),
    (
        Operation::MetaListPreverifiedNumbers,
        &[
            "business_id",
            "[fields]",
            "[limit]",
            "[after]",
            "[before]",
            "[verification_status]",
            "[availability_status]",
            "[country_code]",
        ],
    ),
    (Operation::MetaGetPreverifiedNumber, &["preverified_id", "[fields]"]),
    (Operation::MetaDeletePreverifiedNumber, &["preverified_id"]),
    (Operation::MetaRequestPreverifiedCode, &["preverified_id", "code_method", "language"]),
    (Operation::MetaVerifyPreverifiedCode, &["preverified_id", "code"]),
    (Operation::MetaListPreverifiedPartners, &["preverified_id", "[fields]", "[limit]", "[after]", "[before]"]),
    (Operation::MetaSharePreverifiedNumber, &["business_id", "preverified_id", "partner_business_id"]),
    (
        Operation::VonageCreateDeployment,
        &["phone_number", "vname_certificate", "method", "waba_id", "[country]", "[pin]"],
    ),
    (Operation::VonageGetDeployment, &["deployment_id"]),
    (Operation::VonageListDeployments, &[]),
    (Operation::VonageDeleteDeployment, &["deployment_id"]),
    (Operation::VonageResendOtp, &["deployment_id", "method"]),
    (Operation::VonageVerifyOtp, &["deployment_id", "code"]),
    (Operation::VonageGetProfile, &["deployment_id"]),
    (
        Operation::VonageUpdateProfile,
        &["deployment_id", "[about]", "[address]", "[description]", "[email]", "[vertical]", "[websites]"],
    ),
    (Operation::VonageGetProfilePhoto, &["deployment_id"]),
    (Operation::VonageUpdateProfilePhoto, &["deployment_id", "image_url"]),
    (Operation::VonageListStickerpacks, &["deployment_id", "[namespace]"]),
    (
        Operation::VonageCreateStickerpack,
        &["deployment_id", "publisher", "name", "[ios_app_store_link]", "[android_app_store_link]"],
    ),
    (
        Operation::VonageUpdateStickerpack,
        &[
            "deployment_id",
            "stickerpack_id",
            "[publisher]",
            "[name]",
            "[ios_app_store_link]",
            "[android_app_store_link]",
        ],
    ),
    (Operation::VonageDeleteStickerpack, &["deployment_id", "stickerpack_id"]),
    (Operation::VonageListStickers, &["deployment_id", "stickerpack_id"]),
    (Operation::VonageGetSticker, &["deployment_id", "stickerpack_id", "sticker_index"]),
    (Operation::VonageCreateSticker, &["deployment_id", "stickerpack_id", "image_data_id", "[emojis]"]),
    (Operation::VonageDeleteSticker, &["deployment_id", "stickerpack_id", "sticker_index"]),
    (Operation::Digital99AccessToken, &["client_id", "client_secret"]),
    (Operation::Digital99RegisterNumber, &["phone_number", "method", "language", "[country]", "[comment]"]),
    (Operation::Digital99VerifyNumber, &["phone_number", "code", "[country]"]),
    (Operation::Digital99ListRegisteredNumbers, &[]),
    (Operation::Digital99ListWhatsappNumbers, &[]),
    (Operation::Digital99ListAccounts, &[]),
    (Operation::Digital99DeleteAccount, &["phone_number", "[country]"]),
];

/// The parameters the CLI takes from the environment or the secrets file, never argv.
const FROM_ENVIRONMENT: [&str; 3] = ["code", "pin", "client_secret"];

/// The listing of `waonboard ops` (every provider) or `waonboard <provider>`: one line an
/// operation, its id then its parameters, and a legend.
pub fn listing(provider: Option<Provider>) -> String {
    let rows: Vec<_> = PARAMS.iter().filter(|(op, _)| provider.is_none_or(|p| op.provider() == p)).collect();
    let width = rows.iter().map(|(op, _)| op.as_str().len()).max().unwrap_or(0);
    let mut text = String::new();
    for (op, params) in rows {
        let params: Vec<String> = params.iter().map(|param| shown(param, op.provider())).collect();
        text.push_str(format!("{:width$}  {}", op.as_str(), params.join(" ")).trim_end());
        text.push('\n');
    }
    text.push_str(
        "\n[name]: optional. name=$VAR: from that environment variable or --secrets-file, never --params.\n\
         Parameters go in --params as a JSON object (docs/contract.md has their rules).",
    );
    text
}

/// A parameter as listed: a secret one names the variable it comes from.
fn shown(param: &str, provider: Provider) -> String {
    let (optional, name) = match param.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
        Some(name) => (true, name),
        None => (false, param),
    };
    let shown = if FROM_ENVIRONMENT.contains(&name) {
        format!("{name}=${}", env_vars(name, provider)[0])
    } else {
        name.to_owned()
    };
    if optional {
        format!("[{shown}]")
    } else {
        shown
    }
}

/// The operation of `id`, or a `validation` error on `op` that suggests the nearest id.
pub fn parse(id: &str) -> Result<Operation, Error> {
    id.parse().map_err(|_: Error| {
        let problem = match suggestion(id) {
            Some(near) => format!("is not a known operation id: did you mean `{near}`?"),
            None => "is not a known operation id: `waonboard ops` lists them all".to_owned(),
        };
        Error::validation("op", problem)
    })
}

/// The id nearest to `id` by edit distance, compared whole and by the name after the
/// provider (`meta.create_deployment` finds `vonage.create_deployment`), if near enough
/// to be a slip rather than another word.
fn suggestion(id: &str) -> Option<&'static str> {
    let id = id.to_ascii_lowercase();
    let name = |id: &str| id.split_once('.').map_or(id, |(_, name)| name).to_owned();
    let (distance, nearest) = Operation::ALL
        .iter()
        .map(|op| {
            let distance = edit_distance(&id, op.as_str()).min(edit_distance(&name(&id), &name(op.as_str())) + 1);
            (distance, op.as_str())
        })
        .min_by_key(|(distance, _)| *distance)?;
    (distance <= (name(&id).chars().count() / 3).max(2)).then_some(nearest)
}

/// Levenshtein distance, over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("request_code", "request_code"), 0);
    }

    #[test]
    fn the_table_lists_every_operation_once_in_the_cores_order() {
        let listed: Vec<Operation> = PARAMS.iter().map(|(op, _)| *op).collect();
        assert_eq!(listed, Operation::ALL);
    }
}
