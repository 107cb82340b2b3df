//! Credit: whether a copy names its source outlet. Scoring orients a pair
//! by it when dates do not tell ([`super::decide_direction`]); `audit`
//! counts the credits of each flow, with the outlets' aliases.
//!
//! **Rule.** A copy credits an outlet when the outlet's name, or one of its
//! aliases, appears as whole words in the copy's first or last
//! [`CREDIT_WINDOW`] characters: a dateline (`WASHINGTON (AP) —`), a byline
//! or a credit line (`Reporting by Reuters`, `— AFP`). Names of four
//! characters or more keep their capitals and match their other letters in
//! either case (`REUTERS` for `Reuters`, not `reuters`; not `at dawn` for
//! the newspaper Dawn, nor `the independent inquiry` for The Independent);
//! shorter ones (`AP`, `AFP`) only as written, so that a lower-case word is
//! not taken for an agency.
//!
//! **Limits.** A credit in the middle of the article ("…, the agency
//! Reuters reported") is not seen; an outlet named at the start or end for
//! another reason (a quote, a story about the agency) is taken for a
//! credit; names are matched as given, without translation or
//! transliteration (an Urdu article crediting "اے پی" needs that alias).

use std::collections::HashMap;

/// Characters at each end of the copy searched for a credit.
pub const CREDIT_WINDOW: usize = 300;

/// Outlet names and their aliases (`--alias "Associated Press=AP,The
/// Associated Press"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    by_outlet: HashMap<String, Vec<String>>,
}

impl Aliases {
    /// Parses `NAME=ALIAS,ALIAS,...` specifications.
    ///
    /// ```
    /// use reprint::audit::Aliases;
    /// let a = Aliases::parse(&["Associated Press=AP,The Associated Press"]).unwrap();
    /// assert_eq!(a.names("Associated Press"), ["Associated Press", "AP", "The Associated Press"]);
    /// assert_eq!(a.names("Reuters"), ["Reuters"]);
    /// assert!(Aliases::parse(&["no equals sign"]).is_err());
    /// ```
    pub fn parse(specs: &[impl AsRef<str>]) -> Result<Aliases, String> {
        let mut by_outlet: HashMap<String, Vec<String>> = HashMap::new();
        for spec in specs {
            let spec = spec.as_ref();
            let Some((name, aliases)) = spec.split_once('=') else {
                return Err(format!(
                    "alias '{spec}' is not NAME=ALIAS[,ALIAS...], e.g. \"Associated Press=AP,The Associated Press\""
                ));
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(format!("alias '{spec}' names no outlet before '='"));
            }
            let list = by_outlet.entry(name.to_string()).or_default();
            list.extend(
                aliases
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from),
            );
        }
        Ok(Aliases { by_outlet })
    }

    /// Whether no alias is given.
    pub fn is_empty(&self) -> bool {
        self.by_outlet.values().all(Vec::is_empty)
    }

    /// The outlet's name followed by its aliases.
    pub fn names<'a>(&'a self, outlet: &'a str) -> Vec<&'a str> {
        let mut names = vec![outlet];
        if let Some(list) = self.by_outlet.get(outlet) {
            names.extend(list.iter().map(String::as_str));
        }
        names
    }
}

/// The name or alias of `outlet` that `text` (an article body) carries at
/// its start or end, if any (see the module's rule).
///
/// ```
/// use reprint::audit::{Aliases, credit_in};
/// let aliases = Aliases::parse(&["Associated Press=AP"]).unwrap();
/// let copy = "WASHINGTON (AP) — The Senate passed the bill on Tuesday.";
/// assert_eq!(credit_in(copy, "Associated Press", &aliases), Some("AP"));
/// assert_eq!(credit_in("The map app was updated.", "Associated Press", &aliases), None);
/// ```
pub fn credit_in<'a>(text: &str, outlet: &'a str, aliases: &'a Aliases) -> Option<&'a str> {
    let head_end = char_boundary_after(text, CREDIT_WINDOW);
    let tail_start = char_boundary_before(text, text.len().saturating_sub(CREDIT_WINDOW));
    let ends = [&text[..head_end], &text[tail_start..]];
    aliases
        .names(outlet)
        .into_iter()
        .find(|name| ends.iter().any(|part| mentions(part, name)))
}

/// Whether `name` appears in `text` as whole words (see the module's rule
/// on case).
fn mentions(text: &str, name: &str) -> bool {
    let name = name.trim();
    if name.is_empty() {
        return false;
    }
    let needle: Vec<char> = name.chars().collect();
    let exact_case = needle.len() < 4;
    // A capital of the name stays a capital; its other letters match in
    // either case.
    let same = |c: char, n: char| {
        c == n || (!exact_case && !n.is_uppercase() && c.to_lowercase().eq(n.to_lowercase()))
    };
    for (start, _) in text.char_indices() {
        let mut chars = text[start..].char_indices();
        let mut end = start;
        let matched = needle.iter().all(|&n| match chars.next() {
            Some((at, c)) if same(c, n) => {
                end = start + at + c.len_utf8();
                true
            }
            _ => false,
        });
        if !matched {
            continue;
        }
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
    }
    false
}

fn char_boundary_after(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn char_boundary_before(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_at_either_end_only_as_whole_words() {
        let none = Aliases::default();
        let filler = "word ".repeat(200);
        let start = format!("By Reuters staff. {filler}");
        let end = format!("{filler} Reporting by Reuters; editing by staff.");
        let middle = format!("{filler} as Reuters reported, {filler}");
        assert_eq!(credit_in(&start, "Reuters", &none), Some("Reuters"));
        assert_eq!(credit_in(&end, "Reuters", &none), Some("Reuters"));
        assert_eq!(credit_in(&middle, "Reuters", &none), None);
        assert_eq!(
            credit_in("Reutersville council met.", "Reuters", &none),
            None
        );
        // Short names match only as written.
        assert_eq!(credit_in("ROME (AFP) - The", "AFP", &none), Some("AFP"));
        assert_eq!(credit_in("the afp said", "AFP", &none), None);
        // Longer names keep their capitals, their other letters in any
        // case: a word of the sentence is not the outlet. Text in any
        // script.
        assert_eq!(credit_in("— REUTERS", "Reuters", &none), Some("Reuters"));
        assert_eq!(credit_in("— reuters", "Reuters", &none), None);
        assert_eq!(credit_in("We met at dawn.", "Dawn", &none), None);
        assert_eq!(credit_in("Courtesy Dawn.", "Dawn", &none), Some("Dawn"));
        assert_eq!(
            credit_in("The independent inquiry", "The Independent", &none),
            None
        );
        assert_eq!(
            credit_in("(c) THE INDEPENDENT", "The Independent", &none),
            Some("The Independent")
        );
        assert_eq!(
            credit_in("By outlet7 staff", "outlet7", &none),
            Some("outlet7")
        );
        assert_eq!(
            credit_in("خبر ایجنسی رائٹرز کے مطابق", "رائٹرز", &none),
            Some("رائٹرز")
        );
    }
}
