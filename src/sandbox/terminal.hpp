// Interactive use: while the command runs on the sandbox's PTY, the user's terminal is in raw
// mode and bytes flow both ways through the supervisor; window size changes follow. On every
// exit path the terminal gets its original mode (and file status flags) back.
#pragma once

#include <termios.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>

#include "common/unique_fd.hpp"

namespace paddock::sandbox {

class TerminalRelay {
 public:
  // `output_fd`: where the command's terminal output goes (stdout, or stderr when stdout is
  // redirected and only stdin and stderr are terminals).
  TerminalRelay(boost::asio::io_context& io, UniqueFd master, int output_fd);
  ~TerminalRelay();
  TerminalRelay(const TerminalRelay&) = delete;
  TerminalRelay& operator=(const TerminalRelay&) = delete;

  void start();
  void resize();
  // After the command ended: copies whatever output is still buffered, then stops.
  void drain();

 private:
  void read_input();
  void read_output();
  void write_all(int fd, const char* data, std::size_t size);

  boost::asio::posix::stream_descriptor input_;
  boost::asio::posix::stream_descriptor master_;
  int output_fd_;
  termios saved_mode_{};
  bool raw_ = false;
  int saved_input_flags_ = -1;
  std::array<char, 16384> input_buffer_{};
  std::array<char, 16384> output_buffer_{};
};

}  // namespace paddock::sandbox
