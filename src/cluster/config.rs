//! The settings of the story rule and the date window fitted to the input.
//!
//! Owns [`ClusterConfig`] (thresholds, attachment, candidates, date window,
//! each default documented where it is set) and [`story_time_scale`], the
//! input's own measure of how long a story lasts, from which
//! [`ClusterConfig::fitted_to_time_scale`] narrows the date window. It
//! must not merge clusters or read texts: it sees days, groups and pairs.

use rayon::prelude::*;

use super::Pair;

/// Settings of the story clustering rule.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// Group-average threshold for articles with a full body: two clusters
    /// merge while the mean story similarity over all their cross pairs is
    /// at least this. Default: 0.07.
    pub threshold: f32,
    /// The threshold for short texts (headlines, teasers), which share fewer
    /// words when they report the same event. Between `short_terms` and
    /// `long_terms` terms per article the threshold moves linearly from this
    /// to `threshold`. Default: 0.04.
    pub short_threshold: f32,
    /// Terms per article (mean over both clusters) at or below which
    /// `short_threshold` applies. Default: 8.
    pub short_terms: f32,
    /// Terms per article at or above which `threshold` applies. Default: 40.
    pub long_terms: f32,
    /// Clusters of at most this many articles are offered, after the
    /// agglomeration, to the larger candidate cluster whose centroid they
    /// fit best. Default: 5.
    pub attach_max_size: usize,
    /// The centroid cosine (times the date factor) a small cluster needs to
    /// join a larger one in that pass. Default: 0.07, the merge threshold of
    /// full articles (headline clusters that fit a centroid fit it far
    /// better than that).
    pub attach_threshold: f32,
    /// Nearest neighbours fetched from the index per article. Default: 30.
    pub neighbours: usize,
    /// Candidate pairs whose own story similarity (times the date factor)
    /// is below this do not make their clusters candidates: a nearest
    /// neighbour that far below every merge threshold is noise (an article
    /// with no story-mate still has 30 neighbours), and every candidate
    /// costs a rescoring at each merge. Default: 0.01.
    pub candidate_floor: f32,
    /// Days between publication dates that cost nothing. Default: 3.
    pub date_grace_days: u32,
    /// Beyond the grace, similarity decays as `exp(-extra_days / scale)`.
    /// Default: 20 days.
    pub date_scale_days: f32,
    /// Candidate pairs of at least this cosine (from different
    /// near-duplicate groups) are taken as surely one story when the input's
    /// own story duration is measured (see [`story_time_scale`]). Default: 0.3.
    pub date_confident_cosine: f32,
    /// The date window (grace and scale) is shrunk, both by one ratio, until
    /// the scale is at most this many times the mean day gap of the confident
    /// pairs, when that is shorter than configured. For gaps spread
    /// exponentially, 95% of confident pairs lie within three means. 0 keeps
    /// the configured window. Default: 3.
    pub date_spread_factor: f32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            threshold: 0.07,
            short_threshold: 0.04,
            short_terms: 8.0,
            long_terms: 40.0,
            attach_max_size: 5,
            attach_threshold: 0.07,
            neighbours: 30,
            candidate_floor: 0.01,
            date_grace_days: 3,
            date_scale_days: 20.0,
            date_confident_cosine: 0.3,
            date_spread_factor: 3.0,
        }
    }
}

/// The narrowest date scale [`ClusterConfig::fitted_to_time_scale`] gives:
/// it keeps the decay defined when every confident pair falls on one day,
/// and a day's gap then costs all but `e^-10` of a similarity.
const MIN_FITTED_SCALE_DAYS: f32 = 0.1;

impl ClusterConfig {
    /// The merge threshold for clusters whose articles have `terms` terms
    /// each on average.
    pub fn threshold_for(&self, terms: f32) -> f32 {
        let span = (self.long_terms - self.short_terms).max(f32::EPSILON);
        let t = ((terms - self.short_terms) / span).clamp(0.0, 1.0);
        self.short_threshold + t * (self.threshold - self.short_threshold)
    }

    /// The factor by which a similarity is scaled for articles `days` apart.
    pub fn date_factor(&self, days: Option<i64>) -> f32 {
        match days {
            None => 1.0,
            Some(days) => {
                let extra = (days - i64::from(self.date_grace_days)).max(0) as f32;
                if extra == 0.0 {
                    1.0
                } else {
                    (-extra / self.date_scale_days.max(f32::MIN_POSITIVE)).exp()
                }
            }
        }
    }

    /// The factor for two groups published over the day spans `a` and `b`
    /// (first and last day): [`ClusterConfig::date_factor`] of the gap
    /// between the spans, none when they overlap; 1 when either is undated.
    #[inline]
    pub fn span_factor(&self, a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> f32 {
        let gap = match (a, b) {
            (Some((a_lo, a_hi)), Some((b_lo, b_hi))) => Some((a_lo.max(b_lo) - a_hi.min(b_hi)).max(0)),
            _ => None,
        };
        self.date_factor(gap)
    }

    /// This configuration with its date window fitted to an input whose
    /// confident pairs are `mean_gap` days apart on average (from
    /// [`story_time_scale`]): when `date_spread_factor × mean_gap` is below
    /// `date_scale_days`, grace and scale shrink by that ratio (the grace to
    /// whole days, rounded down). A window
    /// fitted to weeks-long events thus tightens to one day or less for an
    /// input whose stories, by its own evidence, last a day; it never widens.
    pub fn fitted_to_time_scale(&self, mean_gap: Option<f32>) -> ClusterConfig {
        let mut fitted = self.clone();
        if let Some(gap) = mean_gap {
            let wanted = self.date_spread_factor * gap;
            if self.date_spread_factor > 0.0 && wanted < self.date_scale_days {
                let ratio = wanted / self.date_scale_days;
                // Whole days, rounded down.
                fitted.date_grace_days = (self.date_grace_days as f32 * ratio) as u32;
                fitted.date_scale_days = (self.date_scale_days * ratio).max(MIN_FITTED_SCALE_DAYS);
            }
        }
        fitted
    }
}

/// Confident pairs needed before [`story_time_scale`] trusts its mean.
pub const MIN_CONFIDENT_PAIRS: usize = 30;

/// How long a story lasts in this input, by its own evidence: the mean gap in
/// days between the publication dates of candidate pairs whose cosine is at
/// least `config.date_confident_cosine` (pairs that surely report one
/// story), leaving out pairs inside one near-duplicate group (`initial`, as
/// for [`group_average`](super::group_average): copies say nothing about a story's course) and
/// undated articles. `None` with fewer than [`MIN_CONFIDENT_PAIRS`] such
/// pairs. Gaps are whole days summed exactly, so the result does not depend
/// on the thread count.
///
/// Gold stories differ in grain between collections: an aggregator's
/// headline stories are a day's development ("GM hires an investigator" on
/// one day, "criminal probe of GM" the next), a TDT event runs for weeks.
/// On the development sets the confident pairs are 0.05 days apart for the
/// headlines and 9 days for the articles, while random pairs are 0.5 and 23
/// days apart: the measure tells the two grains apart.
pub fn story_time_scale(
    days: &[Option<i64>],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Option<f32> {
    let min_cosine = f64::from(config.date_confident_cosine);
    let (gap_sum, n) = candidate_pairs
        .par_iter()
        .filter_map(|&Pair { a, b, dot }| {
            let (Some(da), Some(db)) = (days[a], days[b]) else { return None };
            if initial[a] == initial[b] || dot < min_cosine {
                return None;
            }
            Some(((da - db).unsigned_abs(), 1usize))
        })
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    (n >= MIN_CONFIDENT_PAIRS).then(|| gap_sum as f32 / n as f32)
}
