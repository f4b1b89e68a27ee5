#ifndef CUDP_H
#define CUDP_H
#include <stddef.h>
#include <sys/socket.h>

/// Reads up to `count` (at most 64) datagrams without blocking: datagram i lands at
/// buffer + i * slot (at most `slot` bytes), its length in lengths[i], its sender in senders[i].
/// Returns the number read, or -1 with errno set (EAGAIN when none is queued).
int cudp_recvmmsg(int fd, unsigned char *buffer, size_t slot, unsigned count,
                  struct sockaddr_storage *senders, unsigned *lengths);

#endif
