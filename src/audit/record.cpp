#include "audit/record.hpp"

#include <charconv>
#include <chrono>
#include <cstring>

#include "audit/canonical_json.hpp"

namespace paddock::audit {
namespace {

// The fixed parts of a line, in the order the canonical form puts the members.
constexpr std::string_view kOpen = R"({"event":)";
constexpr std::string_view kHash = R"(,"hash":")";
constexpr std::string_view kKind = R"(","kind":")";
constexpr std::string_view kPrev = R"(","prev":")";
constexpr std::string_view kSeq = R"(","seq":)";
constexpr std::string_view kTime = R"(,"time":")";
constexpr std::string_view kClose = R"("})";

// Kinds are lower-case words joined by dots ("net.connect"): nothing a JSON string must escape.
bool is_kind(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!((c >= 'a' && c <= 'z') || c == '.' || c == '_')) return false;
  return true;
}

void put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string genesis_hash(std::string_view run_id) {
  std::string seed = "paddock audit v1\n";
  seed += run_id;
  return sha256_hex(seed);
}

void format_time(std::int64_t unix_ns, char* p) {
  using namespace std::chrono;
  const sys_time<nanoseconds> time{nanoseconds(unix_ns)};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  put_digits(p, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  p[4] = '-';
  put_digits(p + 5, static_cast<unsigned>(date.month()), 2);
  p[7] = '-';
  put_digits(p + 8, static_cast<unsigned>(date.day()), 2);
  p[10] = 'T';
  put_digits(p + 11, static_cast<unsigned>(clock.hours().count()), 2);
  p[13] = ':';
  put_digits(p + 14, static_cast<unsigned>(clock.minutes().count()), 2);
  p[16] = ':';
  put_digits(p + 17, static_cast<unsigned>(clock.seconds().count()), 2);
  p[19] = '.';
  put_digits(p + 20, static_cast<unsigned>(clock.subseconds().count()), 9);
  p[29] = 'Z';
}

void TimeFormatter::format(std::int64_t unix_ns, char* out) {
  constexpr std::int64_t kBillion = 1'000'000'000;
  const std::int64_t second = unix_ns / kBillion - (unix_ns % kBillion < 0 ? 1 : 0);  // floor
  if (second != second_) {
    format_time(unix_ns, text_);
    second_ = second;
  } else {
    put_digits(text_ + 20, static_cast<unsigned>(unix_ns - second * kBillion), 9);
  }
  std::memcpy(out, text_, kTimeLength);
}

std::string format_time(std::int64_t unix_ns) {
  std::string out(kTimeLength, '\0');
  format_time(unix_ns, out.data());
  return out;
}

std::optional<std::int64_t> parse_time(std::string_view text) {
  if (text.size() != kTimeLength) return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t width) -> std::optional<unsigned> {
    unsigned value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
  };
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' ||
      text[29] != 'Z')
    return std::nullopt;
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2), hour = number(11, 2),
             minute = number(14, 2), second = number(17, 2), fraction = number(20, 9);
  if (!year || !month || !day || !hour || !minute || !second || !fraction || *hour > 23 || *minute > 59 || *second > 59)
    return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(static_cast<int>(*year)), std::chrono::month(*month),
                            std::chrono::day(*day)};
  if (!date.ok()) return std::nullopt;
  const auto since_epoch = sys_days(date).time_since_epoch() + hours(*hour) + minutes(*minute) + seconds(*second);
  return duration_cast<nanoseconds>(since_epoch).count() + static_cast<std::int64_t>(*fraction);
}

void RecordHasher::hash(std::uint64_t seq, std::string_view time, std::string_view kind, std::string_view prev,
                        std::string_view event, char* out) {
  // What comes before the event goes to SHA-256 in one piece: one update instead of eight, each
  // of which costs more than the few bytes it would hash.
  const std::size_t bound = 20 + time.size() + kind.size() + prev.size() + 4;
  if (head_.size() < bound) head_.resize(bound);
  char* p = std::to_chars(head_.data(), head_.data() + 20, seq).ptr;
  for (const std::string_view part : {time, kind, prev}) {
    *p++ = '\n';
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  *p++ = '\n';
  sha_.begin();
  sha_.update(std::string_view(head_.data(), static_cast<std::size_t>(p - head_.data())));
  sha_.update(event);
  const Sha256Digest digest = sha_.finish();
  to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()), out);
}

void append_record(std::string& out, const RecordView& record) {
  char digits[24];
  const std::string_view seq(
      digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, record.seq).ptr - digits));
  const std::string_view parts[] = {kOpen,       record.event, kHash, record.hash, kKind,       record.kind, kPrev,
                                    record.prev, kSeq,         seq,   kTime,       record.time, kClose,      "\n"};
  std::size_t length = 0;
  for (const auto part : parts) length += part.size();
  // One resize and plain copies: the writer's thread spells every record of the chain.
  const std::size_t at = out.size();
  out.resize(at + length);
  char* p = out.data() + at;
  for (const auto part : parts) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
}

std::optional<RecordView> parse_record(std::string_view line) {
  // Read from the end: every member after "event" has a fixed layout, so what remains at the
  // front is the event's JSON, whatever it contains.
  RecordView r;
  if (line.size() < kOpen.size() + 2 + kHash.size() + kHashLength + kKind.size() + 1 + kPrev.size() + kHashLength +
                        kSeq.size() + 1 + kTime.size() + kTimeLength + kClose.size() ||
      !line.starts_with(kOpen) || !line.ends_with(kClose))
    return std::nullopt;
  std::size_t end = line.size() - kClose.size();
  r.time = line.substr(end - kTimeLength, kTimeLength);
  end -= kTimeLength;
  if (line.substr(end - kTime.size(), kTime.size()) != kTime) return std::nullopt;
  end -= kTime.size();
  std::size_t digits = end;
  while (digits > 0 && line[digits - 1] >= '0' && line[digits - 1] <= '9') --digits;
  const std::string_view seq = line.substr(digits, end - digits);
  if (seq.empty() || (seq.size() > 1 && seq[0] == '0') ||
      std::from_chars(seq.data(), seq.data() + seq.size(), r.seq).ec != std::errc() || digits < kSeq.size())
    return std::nullopt;
  end = digits;
  if (line.substr(end - kSeq.size(), kSeq.size()) != kSeq) return std::nullopt;
  end -= kSeq.size();
  if (end < kHashLength + kPrev.size()) return std::nullopt;
  r.prev = line.substr(end - kHashLength, kHashLength);
  end -= kHashLength;
  if (line.substr(end - kPrev.size(), kPrev.size()) != kPrev) return std::nullopt;
  end -= kPrev.size();
  const std::size_t kind_start = line.rfind(kKind, end);
  if (kind_start == std::string_view::npos || kind_start < kOpen.size() + kHash.size() + kHashLength)
    return std::nullopt;
  r.kind = line.substr(kind_start + kKind.size(), end - kind_start - kKind.size());
  end = kind_start;
  r.hash = line.substr(end - kHashLength, kHashLength);
  end -= kHashLength;
  if (line.substr(end - kHash.size(), kHash.size()) != kHash) return std::nullopt;
  end -= kHash.size();
  r.event = line.substr(kOpen.size(), end - kOpen.size());
  // prev and hash are not checked for hex here: the verifier compares them with hashes it computed.
  if (r.event.size() < 2 || r.event.front() != '{' || r.event.back() != '}' || !is_kind(r.kind) || !parse_time(r.time))
    return std::nullopt;
  return r;
}

}  // namespace paddock::audit
