import Foundation
import PerceptData

/// libFuzzer entry: any bytes given as an IMDB archive (`.tar` or `.tar.gz`: gzip, then the tar
/// reader, then the review layout) must give both splits or a `DataError` / `TextDataError`,
/// never a crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIMDBArchive(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let (train, test) = try? IMDB.loadReviews(fromArchive: data, path: "fuzz.tar.gz") {
        precondition(!train.texts.isEmpty && !test.texts.isEmpty, "an empty split was accepted")
        precondition(train.texts.count == train.labels.count && test.texts.count == test.labels.count)
    }
    return 0
}
