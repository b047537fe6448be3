/// max |actual − reference| / max |reference|, in Double: the error relative to the scale of
/// the whole result, so entries near zero do not dominate. The scale is at least 1e-12, so a
/// reference of zeros is matched only by (nearly) zeros.
public func relativeError<Reference: BinaryFloatingPoint>(_ actual: [Float], _ reference: [Reference]) -> Double {
    precondition(actual.count == reference.count, "compared \(actual.count) values with \(reference.count)")
    var worst = 0.0, scale = 1e-12
    for (a, r) in zip(actual, reference) {
        worst = max(worst, abs(Double(a) - Double(r)))
        scale = max(scale, abs(Double(r)))
    }
    return worst / scale
}
