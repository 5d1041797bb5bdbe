#include "sandbox/terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <boost/asio/read.hpp>

#include "common/error.hpp"

namespace paddock::sandbox {

namespace asio = boost::asio;

TerminalRelay::TerminalRelay(asio::io_context& io, UniqueFd master, int output_fd)
    : input_(io, ::dup(STDIN_FILENO)), master_(io, master.release()), output_fd_(output_fd) {
  // Watching stdin never changes its flags (the shell shares them); only the master, which is
  // ours alone, becomes non-blocking.
  saved_input_flags_ = ::fcntl(STDIN_FILENO, F_GETFL);
  master_.non_blocking(true);
}

TerminalRelay::~TerminalRelay() {
  if (raw_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_mode_);
  if (saved_input_flags_ >= 0) ::fcntl(STDIN_FILENO, F_SETFL, saved_input_flags_);
}

void TerminalRelay::start() {
  if (::tcgetattr(STDIN_FILENO, &saved_mode_) == 0) {
    termios raw = saved_mode_;
    ::cfmakeraw(&raw);
    if (::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) raw_ = true;
  }
  resize();
  read_input();
  read_output();
}

void TerminalRelay::resize() {
  struct winsize size {};
  if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0)
    ::ioctl(master_.native_handle(), TIOCSWINSZ, &size);
}

void TerminalRelay::read_input() {
  input_.async_wait(asio::posix::descriptor_base::wait_read, [this](const boost::system::error_code& ec) {
    if (ec) return;
    ssize_t n = ::read(input_.native_handle(), input_buffer_.data(), input_buffer_.size());
    if (n <= 0) return;  // the user's terminal is gone: the command keeps its PTY
    write_all(master_.native_handle(), input_buffer_.data(), static_cast<std::size_t>(n));
    read_input();
  });
}

void TerminalRelay::read_output() {
  master_.async_read_some(asio::buffer(output_buffer_), [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec) return;  // EIO: every holder of the PTY's terminal side has exited
    write_all(output_fd_, output_buffer_.data(), n);
    read_output();
  });
}

void TerminalRelay::drain() {
  for (;;) {
    ssize_t n = ::read(master_.native_handle(), output_buffer_.data(), output_buffer_.size());
    if (n <= 0) break;
    write_all(output_fd_, output_buffer_.data(), static_cast<std::size_t>(n));
  }
  input_.cancel();
  master_.cancel();
}

void TerminalRelay::write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        pollfd pfd{fd, POLLOUT, 0};
        ::poll(&pfd, 1, 100);
        continue;
      }
      return;  // the reader went away; nothing sensible to do with the bytes
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace paddock::sandbox
