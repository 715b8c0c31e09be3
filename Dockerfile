# The emulator as a container image (as others run Google's emulators):
#   docker build -t photospicker-emulator .
#   docker run --rm -p 8080:8080 -p 8081:8081 photospicker-emulator
#   export PHOTOSPICKER_EMULATOR_HOST=127.0.0.1:8080
# Stage 1 compiles only the emulator program; stage 2 is a distroless image
# with glibc and nothing else (no shell), running as an unprivileged user.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p photospicker-emulator --bin photospicker-emulator \
    && strip target/release/photospicker-emulator

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/photospicker-emulator /usr/local/bin/photospicker-emulator
USER nonroot:nonroot
# 8080: the Picker API, media, the picker page, the control API and (under
# /library) the Library API; 8081: the Library API on its own port.
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/photospicker-emulator", "--host", "0.0.0.0", "--port", "8080", "--library-port", "8081"]
