# The warning set, for every target of the project.
add_library(paddock_warnings INTERFACE)
target_compile_options(paddock_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough -fstack-protector-strong)
target_compile_definitions(paddock_warnings INTERFACE _FORTIFY_SOURCE=2 BOOST_ASIO_NO_DEPRECATED)
if(PADDOCK_WERROR)
  target_compile_options(paddock_warnings INTERFACE -Werror)
endif()

# paddock_options: the warnings plus, in the asan preset, the sanitizers. Everything links it
# except the statically linked probe, which sanitizers cannot build.
add_library(paddock_options INTERFACE)
target_link_libraries(paddock_options INTERFACE paddock_warnings)
if(PADDOCK_SANITIZE)
  target_compile_options(paddock_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(paddock_options INTERFACE -fsanitize=address,undefined)
endif()
