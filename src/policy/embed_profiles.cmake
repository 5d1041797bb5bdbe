# Writes OUTPUT, a C++ file holding each profile's Cedar text (build-time embedding).
#   cmake -DOUTPUT=... -DPROFILES="a;b" -DDIR=... -P embed_profiles.cmake
set(body "// Generated from src/policy/profiles/*.cedar by embed_profiles.cmake; do not edit.\n")
string(APPEND body "#include \"policy/profiles.hpp\"\n\nnamespace paddock::policy {\n\n")
string(APPEND body "const std::vector<ProfileText>& builtin_profile_texts() {\n")
string(APPEND body "  static const std::vector<ProfileText> texts = {\n")
foreach(name IN LISTS PROFILES)
  file(READ "${DIR}/${name}.cedar" text)
  string(APPEND body "    {\"${name}\", R\"paddock_cedar(${text})paddock_cedar\"},\n")
endforeach()
string(APPEND body "  };\n  return texts;\n}\n\n}  // namespace paddock::policy\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
