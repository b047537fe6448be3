import Foundation
import Tensors

/// A form of a layer's weight that inference computes from it (a Linear layer's sparse rows, a
/// convolution's Winograd transform or packed kernels), kept with a copy of the weight it came from.
///
/// Each use compares the live weight with the copy (one `memcmp`, far cheaper than recomputing),
/// so the form can never be stale, however the weight was changed in place (fine-tuning, further
/// pruning, loading a checkpoint). Training does not use it: its weights change at every step.
final class DerivedWeightCache<Settings: Equatable, Derived> {
    private var source: Tensor?
    private var settings: Settings?
    private var derived: Derived?

    /// `derive()` of `weight` under `settings`, or the value kept from the last call if both are unchanged.
    func value(of weight: Tensor, settings: Settings, _ derive: () -> Derived) -> Derived {
        if let source, let derived, self.settings == settings, source.shape == weight.shape,
           memcmp(source.data, weight.data, weight.count * MemoryLayout<Float>.stride) == 0 {
            return derived
        }
        let value = derive()
        (derived, source, self.settings) = (value, weight.copy(), settings)
        return value
    }
}
