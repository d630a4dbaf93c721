/// The actions of a universe one principal is granted, stored by position in the universe.
///
/// Looking an action up is a binary search over the universe's sorted names (case-insensitive,
/// as IAM compares actions); going over all of them hashes nothing.
package struct GrantedActions: Sequence, Sendable {
    /// The universe the positions refer to.
    package let universe: ActionUniverse
    /// For each action of the universe, the statement set that matched it (0: none), or a set
    /// that grants nothing when a Deny covers every ARN of the action.
    private let setOfAction: [Int32]
    /// The grant of each statement set; nil where the set grants nothing.
    private let grantOfSet: [Grant?]
    /// Whether each statement set grants (so scans need not copy grants to test them).
    private let setGrants: [Bool]
    /// How many actions are granted.
    package let count: Int

    /// A table from the expansion in `EffectivePermissions.grants(in:)`.
    init(universe: ActionUniverse, setOfAction: [Int32], grantOfSet: [Grant?]) {
        self.universe = universe
        self.setOfAction = setOfAction
        self.grantOfSet = grantOfSet
        let setGrants = grantOfSet.map { $0 != nil }
        self.setGrants = setGrants
        self.count = setOfAction.reduce(0) { $0 + (setGrants[Int($1)] ? 1 : 0) }
    }

    /// The grant of `action`, nil when it is not granted or not in the universe.
    package subscript(action: String) -> Grant? {
        guard let index = universe.index(of: action) else { return nil }
        return grantOfSet[Int(setOfAction[index])]
    }

    /// The granted actions with their grants, in the universe's (case-insensitive) order.
    package func makeIterator() -> Iterator {
        Iterator(table: self)
    }

    /// Steps over the granted actions.
    package struct Iterator: IteratorProtocol {
        let table: GrantedActions
        var position = 0

        /// The next granted action, nil after the last.
        package mutating func next() -> (action: String, grant: Grant)? {
            while position < table.setOfAction.count {
                let set = Int(table.setOfAction[position])
                position += 1
                if table.setGrants[set], let grant = table.grantOfSet[set] {
                    return (table.universe.names[position - 1], grant)
                }
            }
            return nil
        }
    }

    /// The same as a dictionary keyed by action name.
    package var dictionary: [String: Grant] {
        var granted: [String: Grant] = [:]
        granted.reserveCapacity(count)
        for (position, set) in setOfAction.enumerated() where setGrants[Int(set)] {
            granted[universe.names[position]] = grantOfSet[Int(set)]
        }
        return granted
    }
}
