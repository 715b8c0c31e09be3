//! What can be downloaded: picked items and Library items, seen through one
//! borrowed view of their download facts.

use crate::model::{MediaItem, MediaType, PickedMediaItem, VideoProcessingStatus};


/// Something with downloadable bytes: a [`PickedMediaItem`] or a Library [`MediaItem`].
pub trait Downloadable: Send + Sync {
    #[doc(hidden)]
    fn media(&self) -> Media<'_>;
}

/// A borrowed view of an item's download facts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Media<'a> {
    pub(super) id: &'a str,
    pub(super) base_url: &'a str,
    pub(super) filename: &'a str,
    pub(super) mime_type: &'a str,
    pub(super) is_video: bool,
    pub(super) processing_status: Option<&'a VideoProcessingStatus>,
    pub(super) session_id: Option<&'a str>,
}

impl Downloadable for PickedMediaItem {
    fn media(&self) -> Media<'_> {
        Media {
            id: &self.id,
            base_url: &self.media_file.base_url,
            filename: &self.media_file.filename,
            mime_type: &self.media_file.mime_type,
            is_video: self.media_type == MediaType::Video,
            processing_status: self.media_file.metadata.video.as_ref().map(|v| &v.processing_status),
            session_id: self.session_id.as_deref(),
        }
    }
}

impl Downloadable for MediaItem {
    fn media(&self) -> Media<'_> {
        Media {
            id: &self.id,
            base_url: &self.base_url,
            filename: &self.filename,
            mime_type: &self.mime_type,
            is_video: self.metadata.video.is_some(),
            processing_status: self.metadata.video.as_ref().map(|v| &v.processing_status),
            session_id: None,
        }
    }
}
