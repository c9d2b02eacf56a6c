//! A small line diff for snapshot mismatches (longest common subsequence; snapshots are a few
//! hundred lines at most): hunks with context lines, `-` for the committed snapshot and `+` for
//! what the endpoint answered.

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Same(&'a str),
    Old(&'a str),
    New(&'a str),
}

fn lines_of<'a>(old: &'a [&'a str], new: &'a [&'a str]) -> Vec<Line<'a>> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: length of the LCS of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push(Line::Same(old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(Line::Old(old[i]));
            i += 1;
        } else {
            out.push(Line::New(new[j]));
            j += 1;
        }
    }
    out
}

/// A diff of `old` against `new` with `context` unchanged lines around each change; empty when
/// they are equal. Hunks start with `@@ line N @@` (the line in `old`).
pub fn unified(old: &str, new: &str, context: usize) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let lines = lines_of(&old, &new);
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, Line::Same(_)))
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    // Which lines to show: every change and its context.
    let mut show = vec![false; lines.len()];
    for &i in &changed {
        let lo = i.saturating_sub(context);
        let hi = (i + context).min(lines.len() - 1);
        show[lo..=hi].iter_mut().for_each(|s| *s = true);
    }
    let mut out = String::new();
    let mut old_line = 0;
    let mut in_hunk = false;
    for (i, line) in lines.iter().enumerate() {
        if show[i] {
            if !in_hunk {
                out.push_str(&format!("@@ line {} @@\n", old_line + 1));
                in_hunk = true;
            }
            match line {
                Line::Same(s) => out.push_str(&format!("  {s}\n")),
                Line::Old(s) => out.push_str(&format!("- {s}\n")),
                Line::New(s) => out.push_str(&format!("+ {s}\n")),
            }
        } else {
            in_hunk = false;
        }
        if !matches!(line, Line::New(_)) {
            old_line += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb", 2), "");
    }

    #[test]
    fn a_changed_line_shows_with_its_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        assert_eq!(
            unified(old, new, 1),
            "@@ line 4 @@\n  4\n- 5\n+ five\n  6\n"
        );
    }

    #[test]
    fn insertions_and_deletions_are_both_shown() {
        let d = unified("a\nb\nc\n", "a\nc\nd\n", 0);
        assert_eq!(d, "@@ line 2 @@\n- b\n@@ line 4 @@\n+ d\n");
    }
}
