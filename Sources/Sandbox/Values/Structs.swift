/// A struct type made by `(struct name (field …))`.
public final class StructType: SchemeObject, @unchecked Sendable {
    public let name: String
    public let fieldNames: [String]
    public let isTransparent: Bool
    public let isMutable: Bool
    public let parent: StructType?
    /// `#:prefab`: prints as `#s(name …)`.
    public var isPrefab = false
    /// `#:property prop:procedure`: instances are applicable; the value is a procedure taking the
    /// instance first, or the index of a field holding the procedure.
    public var procedure: Value?
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

/// The procedure that applying a struct instance calls (`prop:procedure`).
struct ApplicableProcedure {
    enum Kind { case procedure, field }
    let kind: Kind
    let value: Value
}

extension StructType {
    /// What applying `instance` calls: the property's procedure (given the instance first), or
    /// the procedure stored in the field the property names.
    func applicableProcedure(of instance: StructInstance) -> ApplicableProcedure? {
        var t: StructType? = self
        var offset = 0
        var chain: [StructType] = []
        while let c = t { chain.append(c); t = c.parent }
        for level in chain {
            offset = chain.reversed().prefix { $0 !== level }.reduce(0) { $0 + $1.fieldNames.count }
            if let p = level.procedure {
                if case .int(let k) = p, offset + k < instance.fields.count {
                    return ApplicableProcedure(kind: .field, value: instance.fields[offset + k])
                }
                return ApplicableProcedure(kind: .procedure, value: p)
            }
        }
        return nil
    }
}
