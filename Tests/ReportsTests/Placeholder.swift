import Testing
@testable import Reports

@Test func moduleLoads() { #expect(Bool(true)) }
