#include <systemd/sd-journal.h>
#include <sys/uio.h>
