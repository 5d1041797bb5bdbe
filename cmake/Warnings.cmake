# One warning set for every target of the project, applied through paddock_options.
add_library(paddock_options INTERFACE)
target_compile_options(paddock_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough -fstack-protector-strong)
target_compile_definitions(paddock_options INTERFACE _FORTIFY_SOURCE=2 BOOST_ASIO_NO_DEPRECATED)
if(PADDOCK_WERROR)
  target_compile_options(paddock_options INTERFACE -Werror)
endif()
if(PADDOCK_SANITIZE)
  target_compile_options(paddock_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(paddock_options INTERFACE -fsanitize=address,undefined)
endif()
