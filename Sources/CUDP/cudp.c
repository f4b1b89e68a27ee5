// recvmmsg needs _GNU_SOURCE, which Swift's Glibc module does not define: a thin wrapper.
#define _GNU_SOURCE
#include "cudp.h"
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int cudp_recvmmsg(int fd, unsigned char *buffer, size_t slot, unsigned count,
                  struct sockaddr_storage *senders, unsigned *lengths) {
    struct mmsghdr headers[64];
    struct iovec vectors[64];
    if (count > 64) count = 64;
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = buffer + (size_t)i * slot;
        vectors[i].iov_len = slot;
        memset(&headers[i], 0, sizeof headers[i]);
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &senders[i];
        headers[i].msg_hdr.msg_namelen = sizeof senders[i];
    }
    int n = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < n; i++) lengths[i] = headers[i].msg_len;
    return n;
}
