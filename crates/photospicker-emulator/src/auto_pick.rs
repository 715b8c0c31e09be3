//! A simulated user for demos: every new session gets a pick planned a
//! little after it is created — a few photos and a video that is ready to
//! download — so a program can run the whole Picker flow unattended.

use crate::library::{Kind, LibraryItem};
use crate::state::{to_chrono, PickPlan, Selection, Trigger};
use chrono::{DateTime, Utc};

/// What the simulated user picks, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoPick {
    /// How long after `sessions.create` the user finishes picking.
    pub after: std::time::Duration,
    /// How many photos the user picks.
    pub photos: usize,
    /// How many (ready) videos the user picks.
    pub videos: usize,
}

impl Default for AutoPick {
    fn default() -> Self {
        Self { after: std::time::Duration::from_secs(2), photos: 3, videos: 1 }
    }
}

impl AutoPick {
    /// The pick planned for a session created at `now` by the owner of `library`.
    pub(crate) fn plan(&self, library: &[LibraryItem], now: DateTime<Utc>) -> PickPlan {
        let ready = |item: &&LibraryItem| item.video.as_ref().is_none_or(|v| v.processing_status == "READY");
        let of_kind = |kind: Kind, count: usize| library.iter().filter(move |item| item.kind == kind).filter(ready).take(count);
        let ids = of_kind(Kind::Photo, self.photos).chain(of_kind(Kind::Video, self.videos)).map(|item| item.id.clone()).collect();
        PickPlan { selection: Selection::Ids(ids), trigger: Trigger::At(now + to_chrono(self.after)) }
    }
}

#[cfg(test)]
mod tests {
    use super::AutoPick;
    use crate::library::{generate, Kind};

    #[test]
    fn the_simulated_user_picks_photos_then_a_ready_video_after_the_delay() {
        let library = generate(7, 40, 0.3);
        let now = chrono::Utc::now();
        let plan = AutoPick::default().plan(&library, now);
        let crate::state::Selection::Ids(ids) = plan.selection else { panic!("ids expected") };
        let kinds: Vec<Kind> = ids.iter().map(|id| library.iter().find(|i| &i.id == id).unwrap().kind).collect();
        assert_eq!(kinds, [Kind::Photo, Kind::Photo, Kind::Photo, Kind::Video]);
        let video = library.iter().find(|i| &i.id == ids.last().unwrap()).unwrap();
        assert_eq!(video.video.as_ref().unwrap().processing_status, "READY");
        assert!(matches!(plan.trigger, crate::state::Trigger::At(at) if at == now + chrono::Duration::seconds(2)));
    }
}
