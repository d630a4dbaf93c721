import Dispatch

/// `map` over the processors: each element transformed on whichever thread is free, the
/// results in the elements' order.
enum ParallelMap {
    static func map<Element: Sendable, Result>(
        _ elements: [Element], _ transform: @escaping @Sendable (Element) -> Result
    ) -> [Result] {
        guard elements.count > 1 else { return elements.map(transform) }
        // Each iteration writes its own slot only; the buffer outlives the loop.
        nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<Result?>.allocate(
            capacity: elements.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: elements.count) { index in
            slots[index] = transform(elements[index])
        }
        let results = slots.map { $0! }
        _ = slots.deinitialize()
        return results
    }
}
