import Foundation

/// Which point of a line of text is placed at the given position.
enum HorizontalAnchor { case left, center, right }
enum VerticalAnchor { case top, middle, baseline, bottom }

/// The look of a piece of chart text.
struct TextStyle {
    /// Size in points (the em size; digits are about 0.73 of it tall).
    var size: Double
    var bold = false
    var color = Color(hex: 0x222222)
}

extension Canvas {
    /// Width of `text` in points.
    func textWidth(_ text: String, _ style: TextStyle) -> Double {
        typesetter.width(text, pixelSize: style.size * scale, bold: style.bold) / scale
    }

    /// Ascent and descent of a line in points.
    func lineMetrics(_ style: TextStyle) -> (ascent: Double, descent: Double) {
        let metrics = typesetter.lineMetrics(pixelSize: style.size * scale, bold: style.bold)
        return (metrics.ascent / scale, metrics.descent / scale)
    }

    /// Height of a line (ascent + descent) in points.
    func lineHeight(_ style: TextStyle) -> Double {
        let metrics = lineMetrics(style)
        return metrics.ascent + metrics.descent
    }

    /// The box a line of text occupies once drawn with the given anchors (before rotation).
    func textBox(_ text: String, at point: Point, _ style: TextStyle,
                 horizontal: HorizontalAnchor, vertical: VerticalAnchor) -> Rect {
        let width = textWidth(text, style)
        let (ascent, descent) = lineMetrics(style)
        let x: Double
        switch horizontal {
        case .left: x = point.x
        case .center: x = point.x - width / 2
        case .right: x = point.x - width
        }
        let top: Double
        switch vertical {
        case .top: top = point.y
        case .middle: top = point.y - (ascent + descent) / 2
        case .baseline: top = point.y - ascent
        case .bottom: top = point.y - ascent - descent
        }
        return Rect(x: x, y: top, width: width, height: ascent + descent)
    }

    /// Draws one line of text. `angle` (degrees, counter-clockwise) turns the text about
    /// its anchor point: 90 for a y-axis title that reads upwards.
    func drawText(_ text: String, at point: Point, _ style: TextStyle,
                  horizontal: HorizontalAnchor = .left, vertical: VerticalAnchor = .baseline, angle: Double = 0) {
        guard !text.isEmpty else { return }
        let mask = typesetter.render(text, pixelSize: style.size * scale, bold: style.bold)
        // The anchor inside the mask, in mask pixels.
        var anchorX = Double(mask.originX)
        switch horizontal {
        case .left: break
        case .center: anchorX += mask.advance / 2
        case .right: anchorX += mask.advance
        }
        var anchorY = Double(mask.baseline)
        switch vertical {
        case .top: anchorY -= mask.ascent
        case .middle: anchorY += (mask.descent - mask.ascent) / 2
        case .baseline: break
        case .bottom: anchorY += mask.descent
        }
        let targetX = (point.x * scale).rounded(), targetY = (point.y * scale).rounded()
        if angle == 0 {
            blitMask(mask, left: Int(targetX - anchorX.rounded()), top: Int(targetY - anchorY.rounded()), style.color)
        } else {
            blitRotatedMask(mask, anchorX: anchorX.rounded(), anchorY: anchorY.rounded(),
                            targetX: targetX, targetY: targetY, angle: angle, style.color)
        }
    }

    private func blitMask(_ mask: TextMask, left: Int, top: Int, _ color: Color) {
        mask.alpha.withUnsafeBufferPointer { alpha in
            for row in 0..<mask.height {
                let y = top + row
                guard y >= 0, y < pixelHeight else { continue }
                for column in 0..<mask.width {
                    let value = alpha[row * mask.width + column]
                    if value > 0 { blend(left + column, y, color, Double(value) / 255) }
                }
            }
        }
    }

    /// Draws a mask turned by `angle` degrees about its anchor, sampling it bilinearly
    /// (exactly, without blur, for multiples of 90°).
    private func blitRotatedMask(_ mask: TextMask, anchorX: Double, anchorY: Double,
                                 targetX: Double, targetY: Double, angle: Double, _ color: Color) {
        let radians = angle * .pi / 180
        var cosine = cos(radians), sine = sin(radians)
        if abs(cosine) < 1e-12 { cosine = 0 }
        if abs(sine) < 1e-12 { sine = 0 }
        // Mask corners relative to the anchor, turned, give the destination bounding box.
        let corners = [(0.0, 0.0), (Double(mask.width), 0.0), (0.0, Double(mask.height)), (Double(mask.width), Double(mask.height))]
        var xs: [Double] = [], ys: [Double] = []
        for (u, v) in corners {
            let du = u - anchorX, dv = v - anchorY
            xs.append(targetX + du * cosine + dv * sine)
            ys.append(targetY - du * sine + dv * cosine)
        }
        mask.alpha.withUnsafeBufferPointer { alpha in
            func sample(_ x: Int, _ y: Int) -> Double {
                guard x >= 0, y >= 0, x < mask.width, y < mask.height else { return 0 }
                return Double(alpha[y * mask.width + x])
            }
            for y in pixelRange(ys.min()! - 1, ys.max()! + 1, limit: pixelHeight) {
                for x in pixelRange(xs.min()! - 1, xs.max()! + 1, limit: pixelWidth) {
                    let dx = Double(x) + 0.5 - targetX, dy = Double(y) + 0.5 - targetY
                    // Inverse rotation back into mask coordinates (pixel centres at +0.5).
                    let u = dx * cosine - dy * sine + anchorX - 0.5
                    let v = dx * sine + dy * cosine + anchorY - 0.5
                    let u0 = Int(u.rounded(.down)), v0 = Int(v.rounded(.down))
                    let fu = u - Double(u0), fv = v - Double(v0)
                    let value = (sample(u0, v0) * (1 - fu) + sample(u0 + 1, v0) * fu) * (1 - fv)
                        + (sample(u0, v0 + 1) * (1 - fu) + sample(u0 + 1, v0 + 1) * fu) * fv
                    if value > 0.5 { blend(x, y, color, value / 255) }
                }
            }
        }
    }
}
