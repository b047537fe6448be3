import Testing
@testable import LabKit

/// The convergence check: its verdict, when it runs, and that it does not split a study's recipe.
struct ConvergenceTests {
    @Test func convergedOnlyWhenTwiceTheTrainingGainsLessThanThreeTenthsOfAPoint() {
        #expect(ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9129).converged)
        #expect(ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9050).converged, "a loss is no gain")
        #expect(!ConvergenceCheck(epochs: 10, accuracy: 0.9100, doubledAccuracy: 0.9130).converged)
        #expect(!ConvergenceCheck(epochs: 4, accuracy: 0.8305, doubledAccuracy: 0.8800).converged)
        #expect(abs(ConvergenceCheck(epochs: 4, accuracy: 0.8305, doubledAccuracy: 0.8800).gain - 0.0495) < 1e-6)
    }

    @Test func standardAndFullCheckByDefaultAndTheOptionDecides() throws {
        #expect(try CommonOptions.parse(["--preset", "standard"]).checksConvergence)
        #expect(try CommonOptions.parse(["--preset", "full"]).checksConvergence)
        #expect(try !CommonOptions.parse(["--preset", "quick"]).checksConvergence)
        #expect(try CommonOptions.parse(["--preset", "quick", "--convergence-check", "on"]).checksConvergence)
        #expect(try !CommonOptions.parse(["--preset", "standard", "--convergence-check", "off"]).checksConvergence)
        #expect(throws: (any Error).self) { try CommonOptions.parse(["--convergence-check", "maybe"]) }
    }

    @Test func theCheckIsNotPartOfTheRecipe() {
        // A study's first job checks and the others pass `off`: they are still one recipe.
        #expect(Study.recipeIdentity(of: ["--preset", "standard", "--seed", "1"])
                == Study.recipeIdentity(of: ["--preset", "standard", "--seed", "2", "--convergence-check", "off"]))
    }

    @Test func theDoubledRunIsLabelledAsTheReportNamesItsBaselineAndCachedUnderItsKey() {
        let english = NotebookText(language: .en).convergenceStage("preresnet_baseline", name: "PreResNet baseline")
        #expect(english.label == "PreResNet baseline (2× epochs)")
        // The id names the stage in the stage cache and the JSON: caches made before the label keep matching.
        #expect(english.id == "preresnet_baseline (2× epochs)")
        let chinese = NotebookText(language: .zh).convergenceStage("preresnet_baseline", name: "PreResNet 基线")
        #expect(chinese.id == english.id && chinese.label == "PreResNet 基线收敛检查（2 倍 epoch）")
    }
}
