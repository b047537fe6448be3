import Foundation

/// A value in a lab's machine-readable results (`reports/<lab>.json`).
public indirect enum MetricValue: Codable, Sendable, Equatable {
    case number(Double)
    case text(String)
    case list([MetricValue])
    case record([String: MetricValue])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(value): try container.encode(value.isFinite ? value : 0)
        case let .text(value): try container.encode(value)
        case let .list(values): try container.encode(values)
        case let .record(values): try container.encode(values)
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .text(value) }
        else if let value = try? container.decode([MetricValue].self) { self = .list(value) }
        else { self = .record(try container.decode([String: MetricValue].self)) }
    }
}

/// Types that can be stored as a metric.
public protocol MetricConvertible {
    var metricValue: MetricValue { get }
}

extension MetricValue: MetricConvertible { public var metricValue: MetricValue { self } }
extension Double: MetricConvertible { public var metricValue: MetricValue { .number(self) } }
extension Float: MetricConvertible { public var metricValue: MetricValue { .number(Double(self)) } }
extension Int: MetricConvertible { public var metricValue: MetricValue { .number(Double(self)) } }
extension String: MetricConvertible { public var metricValue: MetricValue { .text(self) } }
extension Array: MetricConvertible where Element: MetricConvertible {
    public var metricValue: MetricValue { .list(map(\.metricValue)) }
}
extension Dictionary: MetricConvertible where Key == String, Value: MetricConvertible {
    public var metricValue: MetricValue { .record(mapValues(\.metricValue)) }
}
