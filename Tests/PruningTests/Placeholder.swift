import Testing
@testable import Pruning

@Test func moduleLoads() { #expect(Bool(true)) }
