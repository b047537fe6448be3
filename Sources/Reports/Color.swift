import Foundation

/// An sRGB colour with opacity, as charts use it.
public struct Color: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    /// 0 is fully transparent, 1 fully opaque.
    public var alpha: Double

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a hex literal as web colours are written: `Color(hex: 0x0072B2)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF), alpha: alpha)
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)

    /// WCAG 2 relative luminance of the opaque colour: 0 for black, 1 for white.
    public var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2 contrast ratio with `other`, from 1 (the same) to 21 (black on white). Lines,
    /// markers and bars need 3:1 against the white background to be seen (WCAG 1.4.11).
    public func contrastRatio(with other: Color) -> Double {
        let (a, b) = (relativeLuminance, other.relativeLuminance)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}

/// The Okabe–Ito palette (Okabe & Ito 2008), whose colours stay distinct for the common forms
/// of colour blindness, made readable on white: every colour has a contrast of at least 3:1
/// with the background (WCAG 1.4.11). Okabe–Ito's orange (2.2:1) and sky blue (2.3:1) are
/// darkened in their hue, its yellow (1.3:1) is replaced by a brown. Ordered so that the
/// first series get the most distinct colours.
public enum Palette {
    public static let blue = Color(hex: 0x0072B2)
    public static let orange = Color(hex: 0xC07F00)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let reddishPurple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x3A8FC8)
    public static let brown = Color(hex: 0x8C564B)
    public static let black = Color(hex: 0x000000)

    /// Series colours in the order charts use them.
    public static let series: [Color] = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, brown, black]

    /// The colour of series number `index` (cycling after eight).
    public static func color(_ index: Int) -> Color { series[index % series.count] }
}
