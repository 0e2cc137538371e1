#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <sys/signalfd.h>
