"""pyrace - race() and FailureGroup for the Python twins, on Twisted 22.4.

NOT TWISTED'S CODE: Twisted 22.4 has no race() (it arrived in 23.8.0). This is our own
reimplementation of the trunk semantics catalogued in twisted-semantics.md section 2.10.3,
written only against 22.4's public Deferred API, so that the race scenarios can still be
recorded with Debian's Twisted 22.4:

* every input gets addCallbacks(succeeded, failed, callbackArgs=(i,), errbackArgs=(i,)); both
  return None, so every input's result becomes None (consumed);
* the first success records the winner, cancels every other input (in list order), then
  fires the race Deferred with (index, value); later successes are ignored;
* when every input has failed, the race Deferred errbacks FailureGroup(failures) with the
  failures sorted by input index;
* cancelling the race Deferred cancels every input (its canceller); their CancelledErrors
  make them all fail, so the race errbacks FailureGroup;
* race([]) never fires.
Indices are 0-based here, as in Twisted; the scripts print them +1 (Lua is 1-based).
"""
from twisted.internet.defer import Deferred


class FailureGroup(Exception):
    """trunk's FailureGroup: no args (str is empty); .failures is a list of Failure."""

    def __init__(self, failures):
        super().__init__()
        self.failures = failures


def race(ds):
    inputs = list(ds)
    state = {"winner": None}
    failed_so_far = []

    def cancel_all(_):
        for d in inputs:
            d.cancel()

    result = Deferred(canceller=cancel_all)

    def succeeded(value, index):
        if state["winner"] is None:
            state["winner"] = inputs[index]
            for d in inputs:
                if d is not state["winner"]:
                    d.cancel()
            result.callback((index, value))
        return None

    def failed(failure, index):
        failed_so_far.append((index, failure))
        if len(failed_so_far) == len(inputs):
            failed_so_far.sort(key=lambda pair: pair[0])
            result.errback(FailureGroup([f for _, f in failed_so_far]))
        return None

    for i, d in enumerate(inputs):
        d.addCallbacks(succeeded, failed, callbackArgs=(i,), errbackArgs=(i,))
    return result
