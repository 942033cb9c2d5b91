//! The order TimelineJS shows events in, against the order chronicle gives
//! the articles made from them.
//!
//! TimelineJS sorts by start alone (a missing month or day counting as the
//! first), keeping the file's order for events that start together.
//! chronicle sorts by its own key (`timeline::order_key`: when the event
//! starts, then when it ends, then the id) and then by path. Events that
//! chronicle places at the same moment are ordered by id, so where their
//! ids would put them out of TimelineJS's order, the import numbers them
//! (`1-…`, `2-…`); whatever still differs is reported.

use std::cmp::Ordering;
use std::path::PathBuf;

use crate::model::Article;
use crate::timeline::order_key;

/// Indices of events in TimelineJS's order, from their start keys.
pub fn timelinejs(keys: &[[i64; 7]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    order
}

fn chronicle_cmp(a: &Article, b: &Article) -> Ordering {
    order_key(a)
        .cmp(&order_key(b))
        .then_with(|| a.path.cmp(&b.path))
}

/// Indices of articles in chronicle's order.
pub fn chronicle(articles: &[Article]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&x, &y| chronicle_cmp(&articles[x], &articles[y]));
    order
}

/// Runs of events, in TimelineJS's order `tl`, that chronicle places at the
/// same moment and whose ids would order them otherwise.
pub fn misordered_ties(articles: &[Article], tl: &[usize]) -> Vec<Vec<usize>> {
    let blank: Vec<Article> = articles
        .iter()
        .map(|a| Article {
            id: String::new(),
            path: PathBuf::new(),
            ..a.clone()
        })
        .collect();
    let tied = |x: usize, y: usize| order_key(&blank[x]) == order_key(&blank[y]);
    let mut runs = Vec::new();
    let mut start = 0;
    while start < tl.len() {
        let mut end = start + 1;
        while end < tl.len() && tied(tl[start], tl[end]) {
            end += 1;
        }
        let run = &tl[start..end];
        let misordered = run
            .windows(2)
            .any(|w| chronicle_cmp(&articles[w[0]], &articles[w[1]]) != Ordering::Less);
        if misordered {
            runs.push(run.to_vec());
        }
        start = end;
    }
    runs
}

/// Neighbours in chronicle's order that TimelineJS shows the other way
/// round: `(a, b)` where TimelineJS shows `a` first and chronicle `b`.
pub fn disagreements(articles: &[Article], tl: &[usize]) -> Vec<(usize, usize)> {
    let mut position = vec![0; tl.len()];
    for (p, &i) in tl.iter().enumerate() {
        position[i] = p;
    }
    chronicle(articles)
        .windows(2)
        .filter(|w| position[w[1]] < position[w[0]])
        .map(|w| (w[1], w[0]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timelinejs_keeps_the_file_order_of_ties() {
        let keys = [
            [2024, 1, 1, 0, 0, 0, 0],
            [2023, 8, 18, 0, 0, 0, 0],
            [2024, 1, 1, 0, 0, 0, 0],
            [-44, 3, 15, 0, 0, 0, 0],
        ];
        assert_eq!(timelinejs(&keys), [3, 1, 0, 2]);
    }
}
