//! The virtual scrolling window: which rows exist in the DOM for a scroll position. Only the
//! rows in view plus a small overscan are rendered, so 50,000 devices cost a few dozen rows.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First rendered row (index into the shown rows).
    pub start: usize,
    /// One past the last rendered row.
    pub end: usize,
    /// Height of the spacer above the rendered rows, in pixels.
    pub pad_top: u32,
    /// Height of the spacer below them.
    pub pad_bottom: u32,
}

/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps. Every
/// rendered row is rewritten when the filter changes, so a few are enough: the window follows
/// each scroll event.
pub const OVERSCAN: usize = 2;

pub fn window(total: usize, row_height: u32, scroll_top: u32, viewport_height: u32) -> Window {
    let row_height = row_height.max(1) as usize;
    let first_visible = scroll_top as usize / row_height;
    let visible = (viewport_height as usize).div_ceil(row_height) + 1;
    let start = first_visible.saturating_sub(OVERSCAN).min(total);
    let end = (first_visible + visible + OVERSCAN).min(total);
    Window {
        start,
        end,
        pad_top: (start * row_height) as u32,
        pad_bottom: ((total - end) * row_height) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_only_the_rows_in_view_plus_overscan() {
        let w = window(50_000, 36, 36 * 1_000, 720);
        assert_eq!(w.start, 1_000 - OVERSCAN);
        assert_eq!(w.end, 1_000 + 21 + OVERSCAN);
        assert!(w.end - w.start <= 60);
        assert_eq!(w.pad_top, (1_000 - OVERSCAN as u32) * 36);
        assert_eq!(w.pad_bottom, (50_000 - w.end as u32) * 36);
    }

    #[test]
    fn clamps_at_both_ends() {
        assert_eq!(
            window(5, 36, 0, 720),
            Window {
                start: 0,
                end: 5,
                pad_top: 0,
                pad_bottom: 0
            }
        );
        let w = window(100, 36, 36 * 5_000, 720);
        assert_eq!((w.start, w.end, w.pad_bottom), (100, 100, 0));
        assert_eq!(window(0, 36, 0, 720).end, 0);
    }
}
