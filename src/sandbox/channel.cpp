#include "sandbox/channel.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.hpp"

namespace paddock::sandbox {
namespace {

constexpr std::size_t kMaxMessage = 8192;

struct Header {
  MessageType type;
  int value;
};

}  // namespace

std::pair<Channel, Channel> Channel::pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) throw SysError("socketpair");
  return {Channel(UniqueFd(fds[0])), Channel(UniqueFd(fds[1]))};
}

void Channel::send(MessageType type, int value, const std::string& text, int attach_fd) const {
  if (const int err = transmit(type, value, text, attach_fd); err != 0)
    throw SysError("send to the sandbox channel", err);
}

bool Channel::send_unless_closed(MessageType type, int value) const {
  const int err = transmit(type, value, {}, -1);
  if (err == EPIPE || err == ECONNRESET) return false;
  if (err != 0) throw SysError("send to the sandbox channel", err);
  return true;
}

int Channel::transmit(MessageType type, int value, const std::string& text, int attach_fd) const {
  Header header{type, value};
  std::vector<char> buf(sizeof header + std::min(text.size(), kMaxMessage - sizeof header));
  std::memcpy(buf.data(), &header, sizeof header);
  std::memcpy(buf.data() + sizeof header, text.data(), buf.size() - sizeof header);
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (attach_fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &attach_fd, sizeof(int));
  }
  while (::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

std::optional<Message> Channel::receive() const {
  std::vector<char> buf(kMaxMessage);
  iovec iov{buf.data(), buf.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  // ECONNRESET: the peer closed with messages of ours unread. The kernel reports that once,
  // before the messages the peer sent (a failed set-up's error), which the next call returns.
  bool reset_seen = false;
  while ((n = ::recvmsg(fd_.get(), &msg, MSG_CMSG_CLOEXEC)) < 0) {
    if (errno == ECONNRESET && !reset_seen) {
      reset_seen = true;
      continue;
    }
    if (errno != EINTR) throw SysError("receive from the sandbox channel");
  }
  if (n == 0) return std::nullopt;
  if (static_cast<std::size_t>(n) < sizeof(Header)) throw Error("sandbox channel: short message");
  Header header{};
  std::memcpy(&header, buf.data(), sizeof header);
  Message message;
  message.type = header.type;
  message.value = header.value;
  message.text.assign(buf.data() + sizeof header, static_cast<std::size_t>(n) - sizeof header);
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg != nullptr; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
      message.fd.reset(fd);
    }
  }
  return message;
}

}  // namespace paddock::sandbox
