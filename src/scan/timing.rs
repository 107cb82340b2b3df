//! Wall time per stage of a scan, for `--timings` and benchmarks. Kept
//! apart from [`super::ScanReport`], whose contents are the same at any
//! thread count and on any run.

use std::time::{Duration, Instant};

/// Wall time of each stage of a run, in the order they ran, with the
/// resident memory at its end where the platform tells it. A stage that
/// runs more than once adds up.
#[derive(Debug, Clone)]
pub struct StageTimes {
    stages: Vec<(&'static str, Duration)>,
    resident: Vec<Option<u64>>,
    peak: Vec<Option<u64>>,
    last: Instant,
}

impl Default for StageTimes {
    fn default() -> Self {
        StageTimes::new()
    }
}

impl StageTimes {
    /// Starts the clock.
    pub fn new() -> StageTimes {
        StageTimes {
            stages: Vec::new(),
            resident: Vec::new(),
            peak: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Restarts the clock without recording (time between stages that
    /// belongs to none of them).
    pub fn restart(&mut self) {
        self.last = Instant::now();
    }

    /// Records the time since the last lap (or the start) as `stage`, and
    /// the resident memory now.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let i = self.add(stage, now - self.last);
        self.resident[i] = crate::memory::resident_bytes();
        self.peak[i] = crate::memory::peak_resident_bytes();
        self.last = Instant::now();
    }

    /// Adds the stages of `other` (their times and resident memory) to
    /// these, and restarts the clock.
    pub fn append(&mut self, other: &StageTimes) {
        for (i, &(stage, elapsed)) in other.stages.iter().enumerate() {
            let at = self.add(stage, elapsed);
            self.resident[at] = other.resident[i];
            self.peak[at] = other.peak[i];
        }
        self.restart();
    }

    /// Adds `elapsed` to `stage`; returns the stage's position.
    pub fn add(&mut self, stage: &'static str, elapsed: Duration) -> usize {
        match self.stages.iter().position(|(s, _)| *s == stage) {
            Some(i) => {
                self.stages[i].1 += elapsed;
                i
            }
            None => {
                self.stages.push((stage, elapsed));
                self.resident.push(None);
                self.peak.push(None);
                self.stages.len() - 1
            }
        }
    }

    /// The stages and their times, in the order they first ran.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }

    /// The sum of the stages.
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }

    /// The resident memory in bytes at the end of each stage (as
    /// [`StageTimes::stages`]), where known.
    pub fn resident(&self) -> &[Option<u64>] {
        &self.resident
    }

    /// The most resident memory in bytes the process had had by the end
    /// of each stage (as [`StageTimes::stages`]), where known: the stage
    /// where it grows is where the process's peak so far was reached.
    pub fn peak(&self) -> &[Option<u64>] {
        &self.peak
    }

    /// A table for people: stage, seconds, share of the total, resident
    /// memory at the stage's end, and the process's peak by then.
    pub fn table(&self) -> String {
        let total = self.total().as_secs_f64();
        let width = self
            .stages
            .iter()
            .map(|(s, _)| s.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut out = format!(
            "{:<width$}  {:>8}  {:>6}  {:>9}  {:>9}\n",
            "STAGE", "WALL S", "SHARE", "RSS AFTER", "PEAK BY"
        );
        let mb = |b: &Option<u64>| b.map_or("-".to_string(), |b| format!("{} MB", b / 1_000_000));
        for (((stage, d), rss), peak) in self.stages.iter().zip(&self.resident).zip(&self.peak) {
            let secs = d.as_secs_f64();
            let share = if total > 0.0 { secs / total } else { 0.0 };
            out += &format!(
                "{stage:<width$}  {secs:>8.3}  {:>5.1}%  {:>9}  {:>9}\n",
                share * 100.0,
                mb(rss),
                mb(peak)
            );
        }
        out += &format!("{:<width$}  {total:>8.3}  {:>5.1}%\n", "total", 100.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_stages_add_up_in_first_order() {
        let mut t = StageTimes::new();
        t.add("read", Duration::from_millis(300));
        t.add("align", Duration::from_millis(500));
        t.add("read", Duration::from_millis(200));
        let names: Vec<&str> = t.stages().iter().map(|(s, _)| *s).collect();
        assert_eq!(names, ["read", "align"]);
        assert_eq!(t.stages()[0].1, Duration::from_millis(500));
        assert_eq!(t.total(), Duration::from_secs(1));
        let table = t.table();
        assert!(table.contains("read"), "{table}");
        assert!(table.contains("50.0%"), "{table}");
        assert!(table.lines().last().unwrap().starts_with("total"));
    }
}
