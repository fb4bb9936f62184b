#!/usr/bin/env bash
# `make run`: creates or updates the database with demo data, prints the address and demo logins, serves.
# Must not delete an existing database: migrations and the demo seed are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${DXDAY_DB:-var/dxday.db}
port=${PORT:-8080}
bind=${DXDAY_BIND:-127.0.0.1}
mkdir -p "$(dirname "$db")"
build/dxday --db "$db" migrate >/dev/null
build/dxday --db "$db" seed-demo >/dev/null
cat <<EOT

  dxday — Ngày Chuyển đổi số quốc gia
  Cổng thông tin:  http://$bind:$port/
  Cơ sở dữ liệu:   $db

  Tài khoản demo (email / mật khẩu):
    admin@dxday.vn        / dxday-admin-2026   quản trị toàn hệ thống
    dieuphoi@dxday.vn     / dxday-demo-2026    điều phối cấp trung ương
    nghean@dxday.vn       / dxday-demo-2026    cán bộ đầu mối tỉnh Nghệ An
    doan.nghean@dxday.vn  / dxday-demo-2026    cán bộ Tỉnh đoàn Nghệ An
    hocvien@dxday.vn      / dxday-demo-2026    học viên (đã có một chứng chỉ)
    tocns@dxday.vn        / dxday-demo-2026    thành viên Tổ công nghệ số phường Trường Vinh
    giamkhao1@dxday.vn    / dxday-demo-2026    giám khảo Giải thưởng Chuyển đổi số Việt Nam
    giamkhao2@dxday.vn    / dxday-demo-2026    giám khảo (công tác tại Sở TT&TT Nghệ An)
    doanhnghiep@dxday.vn  / dxday-demo-2026    doanh nghiệp dự thi
    thisinh01@dxday.vn    / dxday-demo-2026    thí sinh cuộc thi tìm hiểu (đã dự vòng 1)
    chuyengia@dxday.vn    / dxday-demo-2026    chuyên gia chuyển đổi số (mạng lưới chuyên gia)

  Dừng: Ctrl+C
EOT
exec build/dxday --db "$db" serve --port "$port" --bind "$bind"
