import QtQuick

// The Scheduler the TypeScript core needs (V4 has no setTimeout): one
// one-shot Timer per schedule() call, destroyed after it fired or was
// cancelled. now() is the wall clock.
QtObject {
    id: scheduler

    // Called when a scheduled callback throws (it must not kill the timer loop).
    property var errorHandler: null

    readonly property Component timerComponent: Component {
        Timer {
            repeat: false
        }
    }

    function now() {
        return Date.now();
    }

    function schedule(ms, callback) {
        const timer = timerComponent.createObject(scheduler, {
                "interval": Math.max(0, Math.round(ms || 0))
            });
        let done = false;
        timer.triggered.connect(function () {
                if (done)
                    return;
                done = true;
                timer.destroy();
                try {
                    callback();
                } catch (err) {
                    if (scheduler.errorHandler)
                        scheduler.errorHandler(err);
                }
            });
        timer.start();
        return function () {
            if (done)
                return;
            done = true;
            timer.stop();
            timer.destroy();
        };
    }

    // A plain JS object for the core, so `this` never matters.
    function asDependency() {
        return {
            "now": function () {
                return Date.now();
            },
            "schedule": function (ms, callback) {
                return scheduler.schedule(ms, callback);
            }
        };
    }
}
