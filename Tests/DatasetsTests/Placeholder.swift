import Testing
@testable import Datasets

@Test func moduleLoads() { #expect(Bool(true)) }
