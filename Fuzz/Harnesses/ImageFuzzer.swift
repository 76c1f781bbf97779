import Foundation
import PerceptImage

/// libFuzzer entry: any bytes given to the image decoder (stb_image behind the header check, or
/// libjpeg-turbo for JPEG) must
/// give an image or an `ImageError`, never a crash, hang or leak. A decoded image must hold exactly
/// its declared pixels, and small ones must survive a PNG round trip and a resize. The pixel limit
/// is 2¹⁶ (so that the fuzzer spends its time on the formats, not on filling large canvases); the
/// limit itself is the same code at any size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    guard let image = try? Image(decoding: data, name: "fuzz.img", maximumPixelCount: 1 << 16) else { return 0 }
    precondition(image.pixels.count == image.width * image.height * image.channels, "pixel count disagrees with the size")
    if image.width * image.height <= 1 << 12 {
        let again = try? Image(decoding: image.pngData(), name: "fuzz.png")
        precondition(again == image, "the PNG round trip changed the image")
        let gray = image.grayscale().resized(width: 1 + image.width / 2, height: 1 + image.height / 3)
        precondition(gray.channels == 1, "grayscale gave \(gray.channels) channels")
    }
    return 0
}
