//! Drives the simulator over real HTTP on loopback. One test binary (faster to link on
//! small machines), one module per area.

#[cfg(test)]
mod common;
#[cfg(test)]
mod digital99;
#[cfg(test)]
mod faults;
#[cfg(test)]
mod hostile;
#[cfg(test)]
mod meta;
#[cfg(test)]
mod preverified;
#[cfg(test)]
mod side;
#[cfg(test)]
mod vonage;
