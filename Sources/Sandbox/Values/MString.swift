/// A Scheme string: a mutable sequence of Unicode code points.
///
/// Stored as scalars, not as a Swift `String`, because Scheme strings index by code point in O(1)
/// and compare code point by code point (Swift's `String ==` uses canonical equivalence, so
/// "é" and "e\u{301}" would wrongly be `string=?`).
public final class MString: @unchecked Sendable {
    public var scalars: [Unicode.Scalar]
    public var isMutable: Bool

    public init(_ scalars: [Unicode.Scalar], mutable: Bool = true) {
        self.scalars = scalars
        self.isMutable = mutable
    }
    public convenience init(_ s: String, mutable: Bool = true) {
        self.init(Array(s.unicodeScalars), mutable: mutable)
    }
    /// The Swift string with the same code points.
    public var string: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }
    public var count: Int { scalars.count }
}
