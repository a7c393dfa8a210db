//! What `waonboard ops` and `waonboard <provider>` list: each operation with its
//! parameters, from the core's own description of them (`waonboard::schema`); and "did
//! you mean" for an operation id that is not one.

use waonboard::schema::{self, ParamKind};
use waonboard::{Error, Operation, Provider};

use crate::secrets::env_vars;

/// The listing of `waonboard ops` (every provider) or `waonboard <provider>`: one line an
/// operation, its id then its parameters, and a legend.
pub fn listing(provider: Option<Provider>) -> String {
    let rows: Vec<_> =
        schema::operations().filter(|spec| provider.is_none_or(|p| spec.operation.provider() == p)).collect();
    let width = rows.iter().map(|spec| spec.operation.as_str().len()).max().unwrap_or(0);
    let mut text = String::new();
    for spec in rows {
        let op = spec.operation;
        let params: Vec<String> = spec.params.iter().map(|param| shown(param, op.provider())).collect();
        text.push_str(format!("{:width$}  {}", op.as_str(), params.join(" ")).trim_end());
        text.push('\n');
    }
    text.push_str(
        "\n[name]: optional. name=$VAR: from that environment variable or --secrets-file, never --params.\n\
         Parameters go in --params as a JSON object (docs/contract.md has their rules).",
    );
    text
}

/// A parameter as listed: a secret one (a code, a PIN, the client secret), which the CLI
/// takes from the environment or the secrets file and never from argv, names the variable
/// it comes from.
fn shown(param: &schema::Param, provider: Provider) -> String {
    let name = param.name;
    let shown = match param.kind {
        ParamKind::Secret => format!("{name}=${}", env_vars(name, provider)[0]),
        _ => name.to_owned(),
    };
    if param.required {
        shown
    } else {
        format!("[{shown}]")
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
}
