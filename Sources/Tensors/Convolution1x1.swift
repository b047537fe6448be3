import KernelsAVX512

/// Direct 1×1 convolutions (no im2col, no packed GEMM panels) on the AVX-512 kernels of
/// `KernelsAVX512/Convolution1x1AVX512.c`, for the narrow bottleneck layers whose products have
/// an inner dimension of 8–128 channels: there a packed GEMM copies as many floats as it
/// multiplies. The `.simd8` variant has no such kernels: `Conv2d` keeps the GEMM path there.
///
/// Layouts are the layer's: images of C·plane (input) and F·plane (output) floats, the weight
/// F×C. A stride above 1 reads every s-th pixel of every s-th row: `subsample` copies those into
/// a compact image first, and `scatter` puts a compact input gradient back in place.
public enum Conv1x1 {
    /// Whether the direct kernels exist for this variant.
    public static func supports(_ variant: KernelVariant) -> Bool { variant == .avx512 }

    /// output[image][f][p] = residual[image][f][p] + bias[f] + Σ_c weight[f][c] · x[image][c][p]
    /// over `images` images (residual and bias 0 when nil; the residual laid out as the output).
    @inline(__always)
    public static func forward(_ x: UnsafePointer<Float>, channels: Int, plane: Int, images: Int,
                               weight: UnsafePointer<Float>, filters: Int, bias: UnsafePointer<Float>?,
                               adding residual: UnsafePointer<Float>? = nil,
                               into output: UnsafeMutablePointer<Float>) {
        prunelab_avx512_conv1x1(x, channels, plane, images, weight, channels, 1, filters, bias, residual, output)
    }

    /// gradInput[image][c][p] = Σ_f weight[f][c] · gradOutput[image][f][p] (overwrites).
    @inline(__always)
    public static func inputGradient(_ gradOutput: UnsafePointer<Float>, filters: Int, plane: Int, images: Int,
                                     weight: UnsafePointer<Float>, channels: Int,
                                     into gradInput: UnsafeMutablePointer<Float>) {
        prunelab_avx512_conv1x1(gradOutput, filters, plane, images, weight, 1, channels, channels, nil, nil, gradInput)
    }

    /// gradWeight[f][c] += Σ_(image, p) gradOutput[image][f][p] · x[image][c][p].
    @inline(__always)
    public static func accumulateWeightGradient(_ x: UnsafePointer<Float>, channels: Int, plane: Int, images: Int,
                                                gradOutput: UnsafePointer<Float>, filters: Int,
                                                into gradWeight: UnsafeMutablePointer<Float>) {
        prunelab_avx512_conv1x1_weight_gradient(x, channels, plane, images, gradOutput, filters, gradWeight)
    }

    /// The pixels a 1×1 convolution with this stride reads (every `stride`-th of every
    /// `stride`-th row), of `images` images of `channels` H×W planes, packed into
    /// `images × channels × outHeight × outWidth`.
    public static func subsample(_ x: UnsafePointer<Float>, images: Int, channels: Int, height: Int, width: Int,
                                 stride: Int, into out: UnsafeMutablePointer<Float>) {
        let (oh, ow) = ((height - 1) / stride + 1, (width - 1) / stride + 1)
        var o = out
        for plane in 0..<(images * channels) {
            let src = x + plane * height * width
            for oy in 0..<oh {
                let row = src + oy * stride * width
                for ox in 0..<ow { o[ox] = row[ox * stride] }
                o += ow
            }
        }
    }

    /// The adjoint of `subsample`: writes the compact gradient to the pixels it came from and
    /// zeros everywhere else.
    public static func scatter(_ compact: UnsafePointer<Float>, images: Int, channels: Int, height: Int, width: Int,
                               stride: Int, into x: UnsafeMutablePointer<Float>) {
        let (oh, ow) = ((height - 1) / stride + 1, (width - 1) / stride + 1)
        x.update(repeating: 0, count: images * channels * height * width)
        var o = compact
        for plane in 0..<(images * channels) {
            let dst = x + plane * height * width
            for oy in 0..<oh {
                let row = dst + oy * stride * width
                for ox in 0..<ow { row[ox * stride] = o[ox] }
                o += ow
            }
        }
    }
}
