import Tensors

/// The sum of a residual block's two paths, `main + shortcut`, as a new tensor.
///
/// Backward of an addition hands the same gradient to both paths, and the gradient of a
/// block's input is the sum of what comes back along them; the blocks call this in both
/// directions. A new tensor is returned so the cached tensors of either path stay intact.
public func residualSum(_ main: Tensor, _ shortcut: Tensor) -> Tensor {
    precondition(main.shape == shortcut.shape,
                 "residual paths disagree: main \(main.shape), shortcut \(shortcut.shape)")
    let result = Tensor(uninitializedShape: main.shape)
    let (a, b, y) = (main.data, shortcut.data, result.data)
    parallelFor(result.count, minimumPerWorker: 1 << 15) { range in
        for i in range { y[i] = a[i] + b[i] }
    }
    return result
}
