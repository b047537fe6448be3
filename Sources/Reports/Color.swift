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
}

/// The Okabe–Ito palette: eight colours that stay distinct for the common forms of colour
/// blindness (Okabe & Ito 2008). Ordered so that the first series get the most distinct colours.
public enum Palette {
    public static let blue = Color(hex: 0x0072B2)
    public static let orange = Color(hex: 0xE69F00)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let reddishPurple = Color(hex: 0xCC79A7)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let yellow = Color(hex: 0xF0E442)
    public static let black = Color(hex: 0x000000)

    /// Series colours in the order charts use them.
    public static let series: [Color] = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, yellow, black]

    /// The colour of series number `index` (cycling after eight).
    public static func color(_ index: Int) -> Color { series[index % series.count] }
}
