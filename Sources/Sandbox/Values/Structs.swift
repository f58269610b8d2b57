/// A struct type made by `(struct name (field …))`.
public final class StructType: SchemeObject, @unchecked Sendable {
    public let name: String
    public let fieldNames: [String]
    public let isTransparent: Bool
    public let isMutable: Bool
    public let parent: StructType?
    public init(name: String, fieldNames: [String], transparent: Bool, mutable: Bool, parent: StructType? = nil) {
        self.name = name
        self.fieldNames = fieldNames
        self.isTransparent = transparent
        self.isMutable = mutable
        self.parent = parent
    }
    public override var typeName: String { "struct-type" }
    /// True when `self` is `other` or derives from it.
    public func isSubtype(of other: StructType) -> Bool {
        var t: StructType? = self
        while let c = t {
            if c === other { return true }
            t = c.parent
        }
        return false
    }
}

/// An instance of a struct type.
public final class StructInstance: SchemeObject, @unchecked Sendable {
    public let type: StructType
    public var fields: [Value]
    public init(type: StructType, fields: [Value]) {
        self.type = type
        self.fields = fields
    }
    public override var typeName: String { type.name }
}
