#include "output/file_seal.hpp"

#include <zlib.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace osteosim::output {

namespace {

constexpr std::string_view kMagic = "osteosim-seal 1\n";

struct Seal {
  std::uint64_t sealed_bytes = 0;  ///< bytes after the user block
  std::uint32_t crc32 = 0;
};

/// The exact user block for `seal`: the text, then zeros. Verifying compares all 512 bytes
/// with this, so a flip anywhere in the block (text or padding) is found.
std::array<char, kSealBytes> user_block(const Seal& seal) {
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", static_cast<unsigned>(seal.crc32));
  const std::string text =
      std::string(kMagic) + "bytes " + std::to_string(seal.sealed_bytes) + "\ncrc32 " + crc + "\n";
  std::array<char, kSealBytes> block{};
  std::memcpy(block.data(), text.data(), text.size());
  return block;
}

/// The value after "<key> " on the line that starts with it, or an empty view.
std::string_view field(std::string_view text, std::string_view key) {
  std::string needle(1, '\n');
  needle.append(key).push_back(' ');
  const std::size_t at = text.find(needle);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + key.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

template <class T>
bool parse(std::string_view text, T& value, int base) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

/// Length and CRC-32 of the bytes after the user block.
Seal measure(std::ifstream& in) {
  in.seekg(static_cast<std::streamoff>(kSealBytes));
  Seal seal;
  uLong crc = crc32_z(0L, Z_NULL, 0);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(buffer.data()), got);
    seal.sealed_bytes += got;
  }
  seal.crc32 = static_cast<std::uint32_t>(crc);
  return seal;
}

std::array<char, kSealBytes> read_user_block(std::ifstream& in) {
  std::array<char, kSealBytes> block{};
  in.read(block.data(), block.size());
  if (static_cast<std::size_t>(in.gcount()) != block.size()) block.fill('\0');
  in.clear();
  return block;
}

}  // namespace

void seal_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read '" + path + "' to seal it");
  const Seal seal = measure(in);
  if (in.bad()) throw IoError("cannot read '" + path + "' to seal it");
  in.close();
  std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
  const auto block = user_block(seal);
  out.write(block.data(), block.size());
  out.close();
  if (!out) throw IoError("cannot write the seal of '" + path + "'");
}

bool has_seal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const auto block = read_user_block(in);
  return std::string_view(block.data(), kMagic.size()) == kMagic;
}

void verify_seal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read result file '" + path + "'");
  const auto block = read_user_block(in);
  const std::string_view text(block.data(), strnlen(block.data(), block.size()));
  Seal declared;
  if (!text.starts_with(kMagic) || !parse(field(text, "bytes"), declared.sealed_bytes, 10) ||
      !parse(field(text, "crc32"), declared.crc32, 16) || user_block(declared) != block) {
    throw InputError("'" + path + "' is damaged: its seal (the first " +
                     std::to_string(kSealBytes) + " bytes) is unreadable");
  }
  const Seal actual = measure(in);
  if (in.bad()) throw InputError("cannot read result file '" + path + "'");
  const std::string sizes = ": it has " + std::to_string(actual.sealed_bytes + kSealBytes) +
                            " bytes, osteosim wrote " +
                            std::to_string(declared.sealed_bytes + kSealBytes);
  if (actual.sealed_bytes < declared.sealed_bytes) {
    throw InputError("'" + path + "' is truncated" + sizes);
  }
  if (actual.sealed_bytes > declared.sealed_bytes) {
    // HDF5 appends when a program adds or rewrites an object (h5py in "a" mode).
    throw InputError("'" + path + "' was changed after osteosim wrote it" + sizes);
  }
  if (actual.crc32 != declared.crc32) {
    throw InputError("'" + path +
                     "' is damaged or was changed after osteosim wrote it: its bytes do not "
                     "match the CRC-32 of its seal");
  }
}

}  // namespace osteosim::output
