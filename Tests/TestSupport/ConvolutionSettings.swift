/// The eight (kernel, stride, padding) settings the convolution tests cover: kernel 1 and 3,
/// stride 1 and 2, padding 0 and 1, in that nesting order (kernel outermost).
public let convolutionSettings: [(kernel: Int, stride: Int, padding: Int)] =
    [1, 3].flatMap { kernel in [1, 2].flatMap { stride in [0, 1].map { (kernel, stride, $0) } } }
