/// Sizes and colours shared by every chart, tuned to read like matplotlib's defaults with
/// a lighter, cleaner frame (no top or right spine, a faint grid behind the data).
struct ChartStyle {
    var padding = 14.0
    var title = TextStyle(size: 15, bold: true, color: Color(hex: 0x1A1A1A))
    var axisTitle = TextStyle(size: 12.5, color: Color(hex: 0x222222))
    var tickLabel = TextStyle(size: 11, color: Color(hex: 0x333333))
    var legendText = TextStyle(size: 11, color: Color(hex: 0x222222))
    var annotation = TextStyle(size: 10.5, color: Color(hex: 0x222222))
    var axisColor = Color(hex: 0x4D4D4D)
    var gridColor = Color(hex: 0xE3E3E3)
    var axisWidth = 1.0
    var gridWidth = 1.0
    var tickLength = 4.0
    var tickLabelGap = 3.0
    var axisTitleGap = 7.0
    var titleGap = 12.0
    var lineWidth = 2.0
    var markerSize = 7.0

    static let standard = ChartStyle()
}
