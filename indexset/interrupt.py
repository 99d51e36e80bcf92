"""Ctrl-C held back while compiled (Numba) code runs, and delivered right after it returns.

Why: a KeyboardInterrupt raised while a Numba dispatcher is inside its call surfaces as "SystemError:
CPUDispatcher(...) returned a result with an exception set" (an internal error, exit 1) or, in the parallel region,
as a segmentation fault. Here the Python-level SIGINT handler only records the signal during the call (whichever
thread the kernel delivered it to: NumPy's BLAS and Numba's workers run with SIGINT unblocked, so blocking it in the
main thread is not enough) and the KeyboardInterrupt is raised after the call returned, between calls, where
`absorb certify` answers it with exit 130 and no files."""
import signal
import threading
from contextlib import contextmanager


@contextmanager
def sigint_deferred():
    """Record SIGINT for the duration instead of raising; raise KeyboardInterrupt on exit if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: came.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
    if came:
        raise KeyboardInterrupt
