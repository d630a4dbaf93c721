// Shared by the fuzz targets.

/// Traps with `message` when `condition` is false. `precondition` drops its message in -O
/// builds; `fatalError` keeps it, so the crash log says which property broke.
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
