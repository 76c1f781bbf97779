/// The fixed, colour-blind-safe palette every chart draws from.
///
/// The colours are the Okabe–Ito set, which stays distinguishable under the common forms of colour
/// vision deficiency. The order puts the strongest contrasts against white first; the pale yellow
/// of the original set is last because it is hard to read on a white background.
public enum ChartPalette {
    /// The palette colours as `#RRGGBB` strings, in the order they are assigned.
    public static let colors: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#000000",  // black
        "#F0E442",  // yellow
    ]

    /// The colour for the `index`-th series; indices wrap around (negative ones too).
    public static func color(at index: Int) -> String {
        let count = colors.count
        return colors[((index % count) + count) % count]
    }
}
