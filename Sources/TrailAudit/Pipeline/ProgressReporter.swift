import Foundation

/// Calls the progress callback about twice a second on its own thread until stopped.
final class ProgressReporter: @unchecked Sendable {
    // Unchecked: `stopped` is guarded by `condition`.
    private let state: RunState
    private let report: @Sendable (RunProgress) -> Void
    private let condition = NSCondition()
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(state: RunState, report: @escaping @Sendable (RunProgress) -> Void) {
        self.state = state
        self.report = report
    }

    func start() {
        let thread = Thread { [self] in
            condition.lock()
            while !stopped {
                condition.unlock()
                report(state.progress())
                condition.lock()
                _ = condition.wait(until: Date().addingTimeInterval(0.5))
            }
            condition.unlock()
            done.signal()
        }
        thread.start()
    }

    func stop() {
        condition.withLock {
            stopped = true
            condition.signal()
        }
        done.wait()
    }
}
