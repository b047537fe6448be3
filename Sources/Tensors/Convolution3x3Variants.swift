import KernelsAVX512

/// The direct 3×3 kernels of a `KernelVariant`: the Swift SIMD8 ones (`Convolution3x3.swift`) or
/// the AVX-512 ones (`KernelsAVX512`). Both read the same zero-bordered planes and the same
/// packed weights (`packWeights` with `packingLanes(width:)` filters per block) and give the same
/// sums up to rounding.
///
/// The AVX-512 variant runs its 16-pixel kernels on widths that are multiples of 16 (32×32 and
/// 16×16 planes) and on width 8 with an even height (two rows per register), its 16-filter
/// kernels on widths that are not multiples of 8 (14, 7, 4, 2), and the 8-pixel Swift kernels on
/// the rest (width 8 with an odd height; 24, 40, …).
extension Conv3x3 {
    /// One image's convolution, finished by `epilogue`, on the variant's kernel for its width.
    public static func convolve(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                packed: UnsafePointer<Float>, filters: Int, epilogue: Epilogue,
                                variant: KernelVariant, into output: UnsafeMutablePointer<Float>) {
        let byPixels = vectorisesPixels(width: width)
        switch variant {
        case .avx512 where avx512VectorisesPixels(width: width, height: height):
            prunelab_avx512_conv3x3_by_pixels(padded, channels, height, width, packed, filters, epilogue.scale,
                                              epilogue.shift, epilogue.relu ? 1 : 0, output)
        case .avx512 where !byPixels:
            prunelab_avx512_conv3x3_by_filters(padded, channels, height, width, packed, filters, epilogue.scale,
                                               epilogue.shift, epilogue.relu ? 1 : 0, output)
        case _ where byPixels:
            convolve(padded: padded, channels: channels, height: height, width: width,
                     packed: packed, filters: filters, epilogue: epilogue, into: output)
        default:
            convolveByFilters(padded: padded, channels: channels, height: height, width: width,
                              packed: packed, filters: filters, epilogue: epilogue, into: output)
        }
    }

    /// ∂W += the weight gradient of `images` consecutive images on the variant's kernel for
    /// their width. Pixel-vectorised kernels read ∂Y as it is (`gradOutput`); filter-vectorised
    /// ones read it transposed by `transposeByPixel` (`gradOutputByPixel`).
    public static func accumulateWeightGradient(padded: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                                images: Int, gradOutput: UnsafePointer<Float>,
                                                gradOutputByPixel: UnsafePointer<Float>, filters: Int,
                                                variant: KernelVariant, into gradWeight: UnsafeMutablePointer<Float>) {
        let byPixels = vectorisesPixels(width: width)
        switch variant {
        case .avx512 where avx512VectorisesPixels(width: width, height: height):
            prunelab_avx512_conv3x3_weight_gradient_by_pixels(padded, channels, height, width, images, gradOutput,
                                                              filters, gradWeight)
        case .avx512 where !byPixels:
            prunelab_avx512_conv3x3_weight_gradient_by_filters(padded, channels, height, width, images,
                                                               gradOutputByPixel, filters, gradWeight)
        case _ where byPixels:
            accumulateWeightGradient(padded: padded, channels: channels, height: height, width: width, images: images,
                                     gradOutput: gradOutput, filters: filters, into: gradWeight)
        default:
            accumulateWeightGradientByFilters(padded: padded, channels: channels, height: height, width: width,
                                              images: images, gradOutputByPixel: gradOutputByPixel, filters: filters,
                                              into: gradWeight)
        }
    }

    /// Whether the AVX-512 pixel kernels take this plane: 16 pixels of a row, or two rows of 8.
    public static func avx512VectorisesPixels(width: Int, height: Int) -> Bool {
        width % 16 == 0 || (width == 8 && height % 2 == 0)
    }
}
