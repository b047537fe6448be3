import Foundation
import Testing
@testable import Networks
@testable import Tensors
import TestSupport

/// A PyTorch reference case written by `tools/make_fixtures.py` (see that script for the format).
struct Fixture: Decodable {
    struct Entry: Decodable {
        let shape: [Int]
        let values: [Float]
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    let `case`: String
    let tensors: [String: Entry]
    let scalars: [String: Double]
    let integers: [String: [Int]]

    /// Loads `Fixtures/engine_<name>.json` from the test bundle.
    static func load(_ name: String) throws -> Fixture {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(description: "the test bundle has no Fixtures folder; check Package.swift's resources")
        }
        let url = folder.appendingPathComponent("engine_\(name).json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(description: "fixture \(url.path) is missing; run python3 tools/make_fixtures.py")
        }
        return try JSONDecoder().decode(Fixture.self, from: data)
    }

    /// The named tensor, as a new Swift tensor.
    func tensor(_ name: String) throws -> Tensor {
        guard let entry = tensors[name] else {
            throw Missing(description: "fixture \(self.case) has no tensor \(name)")
        }
        return Tensor(shape: entry.shape, values: entry.values)
    }

    func scalar(_ name: String) throws -> Double {
        guard let value = scalars[name] else { throw Missing(description: "fixture \(self.case) has no scalar \(name)") }
        return value
    }

    func ints(_ name: String) throws -> [Int] {
        guard let value = integers[name] else { throw Missing(description: "fixture \(self.case) has no integers \(name)") }
        return value
    }

    /// Copies the fixture's tensor `prefix + parameter.name` into every parameter, by name.
    func load(into parameters: [Parameter], prefix: String = "") throws {
        for parameter in parameters {
            let source = try tensor(prefix + parameter.name)
            #expect(source.shape == parameter.shape, "\(parameter.name): fixture \(source.shape), Swift \(parameter.shape)")
            parameter.value.assign(source)
        }
    }
}

/// Expects `actual` to match the fixture tensor `name` in shape and within `tolerance` relative error.
/// Set FIXTURE_VERBOSE=1 to print every error.
func expectMatch(_ actual: Tensor, _ fixture: Fixture, _ name: String, tolerance: Double = 1e-4,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try fixture.tensor(name)
    #expect(actual.shape == expected.shape, "\(fixture.case) \(name): shape \(actual.shape), PyTorch \(expected.shape)",
            sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let error = relativeError(actual.values, expected.values)
    if ProcessInfo.processInfo.environment["FIXTURE_VERBOSE"] != nil {
        print("fixture \(fixture.case) \(name): relative error \(error)")
    }
    #expect(error < tolerance, "\(fixture.case) \(name): relative error \(error)", sourceLocation: sourceLocation)
}
