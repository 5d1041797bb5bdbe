# Every dependency is a Debian package (scripts/install-deps installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
# toml++ in its header-only mode: Debian's pkg-config file asks for the shared library, which
# links the shared libstdc++ back into a binary that carries its own (1.2 MiB of resident pages
# and the relocations at every start). Only src/workspace/config_file.cpp includes it.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)
add_library(tomlplusplus_header_only INTERFACE)
target_include_directories(tomlplusplus_header_only SYSTEM INTERFACE ${TOMLPP_INCLUDE_DIR})
target_compile_definitions(tomlplusplus_header_only INTERFACE TOML_HEADER_ONLY=1 TOML_SHARED_LIB=0)
if(PADDOCK_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PADDOCK_BENCH)
  find_package(benchmark REQUIRED)
endif()
