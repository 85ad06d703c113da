<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>CampaignCard</name>
    <message>
        <source>No campaign heard yet: the kiosk shows the default welcome and slogan.</source>
        <translation>ยังไม่ได้รับแคมเปญ: ตู้แสดงข้อความต้อนรับและคำขวัญเริ่มต้น</translation>
    </message>
    <message>
        <source>Year %1 (Buddhist era)</source>
        <extracomment>%1 is the campaign&apos;s year in the Buddhist era, e.g. 2569.</extracomment>
        <translation>ปี พ.ศ. %1</translation>
    </message>
    <message>
        <source>From %1 to %2</source>
        <extracomment>%1 and %2 are the campaign&apos;s first and last days, e.g. 1 November 2026.</extracomment>
        <translation>ตั้งแต่ %1 ถึง %2</translation>
    </message>
    <message>
        <source>Read from a USB stick on %1</source>
        <extracomment>%1 is when (Thai time) the campaign was read from a USB stick.</extracomment>
        <translation>อ่านจากแฟลชไดรฟ์เมื่อ %1</translation>
    </message>
    <message>
        <source>Last heard from the central collector on %1</source>
        <extracomment>%1 is when (Thai time) the collector last sent the campaign.</extracomment>
        <translation>ได้รับจากระบบกลางล่าสุดเมื่อ %1</translation>
    </message>
    <message>
        <source>Campaign on this kiosk</source>
        <translation>แคมเปญที่ตู้นี้แสดง</translation>
    </message>
    <message>
        <source>Ended on %1. Citizens now see the default welcome, and votes count in no campaign until the central office sends the next one: ask the central office.</source>
        <extracomment>%1 is the campaign&apos;s last day, e.g. 5 December 2026.</extracomment>
        <translation>สิ้นสุดแล้วเมื่อ %1 ตอนนี้ตู้แสดงคำต้อนรับทั่วไป และผลการประเมินจะไม่นับเข้าแคมเปญใดจนกว่าส่วนกลางจะส่งแคมเปญถัดไปมา โปรดติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>Starts on %1. Until then citizens see the default welcome.</source>
        <extracomment>%1 is the campaign&apos;s first day, e.g. 10 December 2026.</extracomment>
        <translation>เริ่มวันที่ %1 ก่อนถึงวันนั้นตู้แสดงคำต้อนรับทั่วไป</translation>
    </message>
</context>
<context>
    <name>ChangeDistrictScreen</name>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>The district office could not be saved, and nothing was changed: %1</source>
        <translation>บันทึกที่ว่าการอำเภอไม่สำเร็จ และไม่มีการเปลี่ยนแปลงใด ๆ: %1</translation>
    </message>
    <message>
        <source>Change the district office</source>
        <translation>เปลี่ยนที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Now: %1. Choose the province, then the district office.</source>
        <extracomment>%1 is the district office the kiosk is set up for now, with its province and code.</extracomment>
        <translation>ขณะนี้: %1 เลือกจังหวัด แล้วเลือกที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>No district office chosen yet.</source>
        <translation>ยังไม่ได้เลือกที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>This is the district office set now.</source>
        <translation>นี่คือที่ว่าการอำเภอที่ตั้งไว้ขณะนี้</translation>
    </message>
    <message>
        <source>New district office: %1</source>
        <extracomment>%1 is the district office the clerk chose, with its province and code.</extracomment>
        <translation>ที่ว่าการอำเภอใหม่: %1</translation>
    </message>
    <message>
        <source>Back to settings</source>
        <translation>กลับไปหน้าตั้งค่า</translation>
    </message>
    <message>
        <source>Save the district office</source>
        <translation>บันทึกที่ว่าการอำเภอ</translation>
    </message>
</context>
<context>
    <name>ChangePinScreen</name>
    <message>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <source>The PIN has been changed.</source>
        <translation>เปลี่ยนรหัส PIN เรียบร้อยแล้ว</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1</source>
        <extracomment>%1 is the time left, such as 0:28.</extracomment>
        <translation>ใส่รหัสผิดหลายครั้งเกินไป ลองใหม่ได้ในอีก %1</translation>
    </message>
    <message>
        <source>The current PIN was wrong. Nothing was changed.</source>
        <translation>รหัส PIN ปัจจุบันไม่ถูกต้อง ยังไม่ได้เปลี่ยนแปลงอะไร</translation>
    </message>
    <message>
        <source>Change the clerk PIN</source>
        <translation>เปลี่ยนรหัส PIN ของเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Enter the current PIN</source>
        <translation>ใส่รหัส PIN ปัจจุบัน</translation>
    </message>
    <message>
        <source>Enter the new PIN (6 to 12 digits)</source>
        <translation>ใส่รหัส PIN ใหม่ (6 ถึง 12 หลัก)</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>ใส่รหัส PIN ใหม่อีกครั้ง</translation>
    </message>
    <message>
        <source>Back to settings</source>
        <translation>กลับไปหน้าตั้งค่า</translation>
    </message>
</context>
<context>
    <name>CitizenScreen</name>
    <message>
        <source>← Back</source>
        <translation>← ย้อนกลับ</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>ย้อนกลับ</translation>
    </message>
    <message>
        <source>Goes back to the previous question</source>
        <translation>กลับไปยังคำถามก่อนหน้า</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <extracomment>Progress through the survey: %1 is this question&apos;s number, %2 how many there are.</extracomment>
        <translation>ข้อ %1 จาก %2</translation>
    </message>
</context>
<context>
    <name>ClerkArea</name>
    <message>
        <source>District clerk · %1</source>
        <translation>สำหรับเจ้าหน้าที่ · อำเภอ%1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>ภาพรวม</translation>
    </message>
    <message>
        <source>Staff and services</source>
        <translation>รายชื่อและบริการ</translation>
    </message>
    <message>
        <source>USB stick</source>
        <translation>แฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>กลับสู่หน้าประเมิน</translation>
    </message>
    <message>
        <source>First-time setup</source>
        <translation>ตั้งค่าเครื่องครั้งแรก</translation>
    </message>
</context>
<context>
    <name>ClerkText</name>
    <message>
        <source>This kiosk is not enrolled with the central collector yet: enrol it in Settings.</source>
        <translation>ตู้นี้ยังไม่ได้ลงทะเบียนกับระบบกลาง ลงทะเบียนได้ที่หน้าตั้งค่า</translation>
    </message>
    <message>
        <source>The central collector could not be reached (no internet?). The votes are safe here and will be sent later, or export them to a USB stick.</source>
        <translation>ติดต่อระบบกลางไม่ได้ (อินเทอร์เน็ตอาจไม่มี) ผลการประเมินยังเก็บไว้ในตู้นี้อย่างปลอดภัย และจะส่งให้ภายหลัง หรือส่งออกด้วยแฟลชไดรฟ์ก็ได้</translation>
    </message>
    <message>
        <source>The central collector did not answer in time. The votes are safe here and will be sent later.</source>
        <translation>ระบบกลางไม่ตอบกลับภายในเวลาที่กำหนด ผลการประเมินยังเก็บไว้ในตู้นี้อย่างปลอดภัย และจะส่งให้ภายหลัง</translation>
    </message>
    <message>
        <source>The secure connection to the collector failed (its certificate was not trusted). Ask the central office.</source>
        <translation>เชื่อมต่อแบบปลอดภัยกับระบบกลางไม่สำเร็จ (ใบรับรองไม่น่าเชื่อถือ) กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The collector&apos;s address starts with https://, but the collector there does not use a secure connection. Check the address with the central office.</source>
        <translation>ที่อยู่ของระบบกลางขึ้นต้นด้วย https:// แต่ระบบกลางที่ที่อยู่นี้ไม่ได้ใช้การเชื่อมต่อแบบปลอดภัย กรุณาตรวจสอบที่อยู่กับส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector refused the votes. Ask the central office.</source>
        <translation>ระบบกลางไม่รับผลการประเมิน กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector is busy. The votes will be sent later.</source>
        <translation>ระบบกลางมีผู้ใช้งานมาก จะส่งผลการประเมินให้ภายหลัง</translation>
    </message>
    <message>
        <source>The central collector had a fault. The votes are safe here and will be sent later.</source>
        <translation>ระบบกลางขัดข้อง ผลการประเมินยังเก็บไว้ในตู้นี้อย่างปลอดภัย และจะส่งให้ภายหลัง</translation>
    </message>
    <message>
        <source>The collector&apos;s answer could not be understood. The votes are safe here.</source>
        <translation>อ่านคำตอบจากระบบกลางไม่ได้ ผลการประเมินยังเก็บไว้ในตู้นี้อย่างปลอดภัย</translation>
    </message>
    <message>
        <source>The collector&apos;s receipt could not be checked, so nothing was marked as sent.</source>
        <translation>ตรวจสอบใบตอบรับจากระบบกลางไม่ได้ จึงยังไม่ได้บันทึกว่าส่งแล้ว</translation>
    </message>
    <message>
        <source>The receipt was not signed by the collector this kiosk enrolled with: nothing was marked as sent. Ask the central office.</source>
        <translation>ใบตอบรับไม่ได้ลงนามโดยระบบกลางที่ตู้นี้ลงทะเบียนไว้ จึงยังไม่ได้บันทึกว่าส่งแล้ว กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The collector already holds other votes under the same numbers. They are kept here. Ask the central office.</source>
        <translation>ระบบกลางมีผลการประเมินอื่นที่ใช้เลขลำดับเดียวกันอยู่แล้ว ผลการประเมินของตู้นี้ยังเก็บไว้ที่นี่ กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>This kiosk could not record what was sent. The votes are safe and will be sent again.</source>
        <translation>ตู้นี้บันทึกสิ่งที่ส่งไปแล้วไม่ได้ ผลการประเมินยังปลอดภัย และจะส่งใหม่อีกครั้ง</translation>
    </message>
    <message>
        <source>Sending stopped because of an unexpected error. The votes are safe.</source>
        <translation>การส่งหยุดลงเพราะเกิดข้อผิดพลาดที่ไม่คาดคิด ผลการประเมินยังปลอดภัย</translation>
    </message>
    <message>
        <source>Sending was stopped.</source>
        <translation>หยุดการส่งแล้ว</translation>
    </message>
    <message>
        <source>Sending stopped. The votes are safe on this kiosk.</source>
        <translation>การส่งหยุดลง ผลการประเมินยังเก็บไว้ในตู้นี้อย่างปลอดภัย</translation>
    </message>
    <message>
        <source>The token is for another district office than the one chosen here. Check the district office: until the kiosk is enrolled or a citizen votes, it can be changed in Settings. Or ask the central office for a token for this one.</source>
        <translation>รหัสลงทะเบียนนี้เป็นของอำเภออื่น ไม่ใช่อำเภอที่เลือกไว้ กรุณาตรวจสอบที่ว่าการอำเภอ ซึ่งเปลี่ยนได้ที่หน้าตั้งค่าจนกว่าตู้จะลงทะเบียนหรือมีประชาชนประเมิน หรือขอรหัสของอำเภอนี้จากส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector did not understand the request. Check that the token was typed whole, or ask the central office.</source>
        <translation>ระบบกลางไม่เข้าใจคำขอนี้ กรุณาตรวจว่าพิมพ์รหัสลงทะเบียนครบทุกตัว หรือติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The collector address is not valid: it starts with http:// or https://.</source>
        <translation>ที่อยู่ระบบกลางไม่ถูกต้อง ต้องขึ้นต้นด้วย http:// หรือ https://</translation>
    </message>
    <message>
        <source>The enrolment token is not known. Check it, or ask the central office for a new one.</source>
        <translation>ไม่พบรหัสลงทะเบียนนี้ กรุณาตรวจสอบ หรือขอรหัสใหม่จากส่วนกลาง</translation>
    </message>
    <message>
        <source>The enrolment token has already been used. Ask the central office for a new one.</source>
        <translation>รหัสลงทะเบียนนี้ถูกใช้ไปแล้ว กรุณาขอรหัสใหม่จากส่วนกลาง</translation>
    </message>
    <message>
        <source>This kiosk is already enrolled for another district. Ask the central office.</source>
        <translation>ตู้นี้ลงทะเบียนไว้กับอำเภออื่นแล้ว กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The central office has revoked this kiosk.</source>
        <translation>ส่วนกลางได้ยกเลิกตู้นี้แล้ว</translation>
    </message>
    <message>
        <source>The central collector refused this kiosk&apos;s key. Nothing was changed. Ask a technician.</source>
        <translation>ระบบกลางไม่รับกุญแจของตู้นี้ ไม่มีอะไรเปลี่ยนแปลง กรุณาติดต่อช่างเทคนิค</translation>
    </message>
    <message>
        <source>The address answered, but refused to enrol this kiosk. Check the collector address, or ask the central office.</source>
        <translation>ที่อยู่นี้ตอบกลับ แต่ไม่รับลงทะเบียนตู้นี้ กรุณาตรวจที่อยู่ระบบกลาง หรือติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector could not be reached (no internet, or a wrong address?). Nothing was changed: try again when the kiosk is online, or enrol by USB stick.</source>
        <translation>ติดต่อระบบกลางไม่ได้ (อินเทอร์เน็ตอาจไม่มี หรือที่อยู่ผิด) ไม่มีอะไรเปลี่ยนแปลง ลองใหม่เมื่อตู้ต่ออินเทอร์เน็ตได้ หรือลงทะเบียนด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>The central collector did not answer in time. Nothing was changed: try again later.</source>
        <translation>ระบบกลางไม่ตอบกลับภายในเวลาที่กำหนด ไม่มีอะไรเปลี่ยนแปลง ลองใหม่ภายหลัง</translation>
    </message>
    <message>
        <source>The central collector is busy. Nothing was changed: try again in a few minutes.</source>
        <translation>ระบบกลางมีผู้ใช้งานมาก ไม่มีอะไรเปลี่ยนแปลง ลองใหม่ในอีกสักครู่</translation>
    </message>
    <message>
        <source>The central collector had a fault. Nothing was changed: try again later.</source>
        <translation>ระบบกลางขัดข้อง ไม่มีอะไรเปลี่ยนแปลง ลองใหม่ภายหลัง</translation>
    </message>
    <message>
        <source>The answer could not be understood: is the address really the central collector&apos;s? Nothing was changed.</source>
        <translation>อ่านคำตอบไม่ได้ ที่อยู่นี้ใช่ของระบบกลางหรือไม่ ไม่มีอะไรเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>The votes could not be set aside. Try again.</source>
        <translation>แยกเก็บผลการประเมินทดลองไม่สำเร็จ กรุณาลองใหม่</translation>
    </message>
    <message>
        <source>The central collector&apos;s signed answer did not check out (changed on the way, for another kiosk, or from another collector). Nothing was changed. Call the central office.</source>
        <translation>คำตอบที่ระบบกลางลงนามตรวจไม่ผ่าน (ถูกแก้ไขระหว่างทาง เป็นของตู้อื่น หรือมาจากระบบกลางอื่น) ไม่มีการเปลี่ยนแปลงใด ๆ โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>An unexpected error stopped it. Nothing was changed: see the kiosk&apos;s log, and try again.</source>
        <translation>หยุดลงเพราะข้อผิดพลาดที่ไม่คาดคิด ไม่มีอะไรเปลี่ยนแปลง ดูบันทึกของตู้ แล้วลองใหม่</translation>
    </message>
    <message>
        <source>The central collector did not accept this kiosk. Nothing was changed. Ask the central office.</source>
        <translation>ระบบกลางไม่รับตู้นี้ ไม่มีอะไรเปลี่ยนแปลง กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The USB stick cannot be found. Check that it is plugged in.</source>
        <translation>ไม่พบแฟลชไดรฟ์ กรุณาตรวจสอบว่าเสียบอยู่</translation>
    </message>
    <message>
        <source>The USB stick is write-protected and cannot be written to: check its lock switch, or use another stick. Nothing was written; the votes are still on this kiosk.</source>
        <translation>แฟลชไดรฟ์นี้ถูกป้องกันการเขียน เขียนลงไม่ได้ กรุณาตรวจสวิตช์ล็อกที่ตัวแฟลชไดรฟ์ หรือใช้แฟลชไดรฟ์อันอื่น ยังไม่มีอะไรถูกเขียน ผลการประเมินยังอยู่ในตู้นี้</translation>
    </message>
    <message>
        <source>Writing to the USB stick failed (was it pulled out, or is it full?). No incomplete file was left, and the votes are still on this kiosk. Plug it in and try again.</source>
        <translation>เขียนลงแฟลชไดรฟ์ไม่สำเร็จ (ถูกดึงออกหรือพื้นที่เต็มหรือไม่) ไม่มีไฟล์ที่เขียนไม่ครบค้างอยู่ และผลการประเมินยังอยู่ในตู้นี้ กรุณาเสียบแล้วลองใหม่</translation>
    </message>
    <message>
        <source>A file on the USB stick did not read back correctly and was removed. The votes are still on this kiosk. Try another stick.</source>
        <translation>ไฟล์บนแฟลชไดรฟ์อ่านกลับมาไม่ถูกต้อง จึงลบทิ้งแล้ว ผลการประเมินยังอยู่ในตู้นี้ กรุณาลองแฟลชไดรฟ์อันอื่น</translation>
    </message>
    <message>
        <source>The vote files were written, but the Excel summary could not be. The votes can still be delivered.</source>
        <translation>เขียนไฟล์ผลการประเมินแล้ว แต่เขียนไฟล์สรุปสำหรับ Excel ไม่สำเร็จ ผลการประเมินยังนำส่งได้ตามปกติ</translation>
    </message>
    <message>
        <source>This kiosk is still in demo mode: set it up before exporting.</source>
        <translation>ตู้นี้ยังอยู่ในโหมดทดลอง กรุณาตั้งค่าตู้ก่อนส่งออก</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled, so it cannot check a receipt yet. If the central office&apos;s answer is on this stick, read it first: Settings, No internet? Enrol by USB stick, Read the answer. Then read the receipts again.</source>
        <translation>ตู้นี้ยังไม่ได้ลงทะเบียน จึงยังตรวจสอบใบตอบรับไม่ได้ หากคำตอบของส่วนกลางอยู่ในแฟลชไดรฟ์นี้ ให้อ่านคำตอบก่อนที่หน้าตั้งค่า (ไม่มีอินเทอร์เน็ต? ลงทะเบียนด้วยแฟลชไดรฟ์ → อ่านคำตอบ) แล้วอ่านใบตอบรับอีกครั้ง</translation>
    </message>
    <message>
        <source>A receipt was not signed by the central collector: nothing was marked.</source>
        <translation>ใบตอบรับไม่ได้ลงนามโดยระบบกลาง จึงยังไม่ได้บันทึกอะไร</translation>
    </message>
    <message>
        <source>A receipt is for another kiosk: nothing was marked.</source>
        <translation>ใบตอบรับเป็นของตู้อื่น จึงยังไม่ได้บันทึกอะไร</translation>
    </message>
    <message>
        <source>A receipt is for other votes than this kiosk&apos;s: nothing was marked.</source>
        <translation>ใบตอบรับเป็นของผลการประเมินชุดอื่น ไม่ใช่ของตู้นี้ จึงยังไม่ได้บันทึกอะไร</translation>
    </message>
    <message>
        <source>The receipt file cannot be read: check that it is there and that the USB stick is still plugged in. Nothing was marked.</source>
        <translation>อ่านไฟล์ใบตอบรับไม่ได้ กรุณาตรวจว่ามีไฟล์อยู่จริงและแฟลชไดรฟ์ยังเสียบอยู่ จึงยังไม่ได้บันทึกอะไร</translation>
    </message>
    <message>
        <source>A file on the USB stick is not a valid receipt.</source>
        <translation>ไฟล์บนแฟลชไดรฟ์ไม่ใช่ใบตอบรับที่ถูกต้อง</translation>
    </message>
    <message>
        <source>The tablet&apos;s storage is full. Free some space, then check the votes.</source>
        <translation>หน่วยความจำของแท็บเล็ตเต็ม กรุณาลบไฟล์ที่ไม่ใช้แล้วตรวจสอบผลการประเมินอีกครั้ง</translation>
    </message>
    <message>
        <source>The vote database reported an error. See the kiosk&apos;s log.</source>
        <translation>ฐานข้อมูลผลการประเมินแจ้งข้อผิดพลาด ดูรายละเอียดในบันทึกของตู้</translation>
    </message>
    <message>
        <source>The vote database could not be opened. Restart the kiosk.</source>
        <translation>เปิดฐานข้อมูลผลการประเมินไม่ได้ กรุณาเปิดตู้ใหม่</translation>
    </message>
    <message>
        <source>A vote was refused. See the kiosk&apos;s log.</source>
        <translation>ผลการประเมินหนึ่งรายการถูกปฏิเสธ ดูรายละเอียดในบันทึกของตู้</translation>
    </message>
    <message>
        <source>Please type the name in Thai.</source>
        <translation>กรุณาพิมพ์ชื่อภาษาไทย</translation>
    </message>
    <message>
        <source>A name or position holds a character that cannot be shown. Type it again.</source>
        <translation>ชื่อหรือตำแหน่งมีอักขระที่แสดงไม่ได้ กรุณาพิมพ์ใหม่</translation>
    </message>
    <message>
        <source>A name or position is too long: at most %1 characters.</source>
        <extracomment>%1: the most characters a name or position may have</extracomment>
        <translation>ชื่อหรือตำแหน่งยาวเกินไป พิมพ์ได้ไม่เกิน %1 ตัวอักษร</translation>
    </message>
    <message>
        <source>The kiosk already shows as many of these as it can. Retire one that is no longer needed first.</source>
        <translation>ตู้แสดงรายการประเภทนี้ได้ครบจำนวนสูงสุดแล้ว กรุณากด เลิกใช้ รายการที่ไม่ใช้แล้วก่อน</translation>
    </message>
    <message>
        <source>A staff member with this name and this position is already on the kiosk: citizens would see two cards alike. Edit that one instead, or add the position.</source>
        <translation>มีเจ้าหน้าที่ชื่อนี้ในตำแหน่งนี้อยู่แล้ว ประชาชนจะเห็นบัตรซ้ำกันสองใบ กรุณาแก้ไขรายการเดิมแทน หรือใส่ตำแหน่งให้ต่างกัน</translation>
    </message>
    <message>
        <source>One with this name is already on the kiosk: citizens would see it twice. Edit that one instead.</source>
        <translation>มีรายการชื่อนี้อยู่แล้ว ประชาชนจะเห็นซ้ำกันสองรายการ กรุณาแก้ไขรายการเดิมแทน</translation>
    </message>
    <message>
        <source>The photo must be a .png or .jpg file. Choose another photo.</source>
        <translation>รูปถ่ายต้องเป็นไฟล์ .png หรือ .jpg กรุณาเลือกรูปอื่น</translation>
    </message>
    <message>
        <source>The photo could not be read (was the USB stick removed?). Choose the photo again.</source>
        <translation>อ่านไฟล์รูปถ่ายไม่ได้ (ถอดแฟลชไดรฟ์ออกหรือไม่) กรุณาเลือกรูปอีกครั้ง</translation>
    </message>
    <message>
        <source>The photo is larger than %1. Choose a smaller photo.</source>
        <extracomment>%1: the largest photo, e.g. 4.8 MB</extracomment>
        <translation>ไฟล์รูปถ่ายใหญ่เกิน %1 กรุณาเลือกรูปที่เล็กกว่านี้</translation>
    </message>
    <message>
        <source>This file is not a picture, although its name ends in .png or .jpg. Choose another photo.</source>
        <translation>ไฟล์นี้ไม่ใช่รูปภาพ แม้ชื่อจะลงท้ายด้วย .png หรือ .jpg กรุณาเลือกรูปอื่น</translation>
    </message>
    <message>
        <source>This entry cannot be used. Nothing was changed; see the kiosk&apos;s log.</source>
        <translation>ใช้ข้อมูลนี้ไม่ได้ ไม่มีการเปลี่ยนแปลงใด ๆ ดูรายละเอียดในบันทึกของตู้</translation>
    </message>
    <message>
        <source>Choose the province.</source>
        <translation>กรุณาเลือกจังหวัด</translation>
    </message>
    <message>
        <source>Choose the district office.</source>
        <translation>กรุณาเลือกอำเภอ</translation>
    </message>
    <message>
        <source>The PIN is 6 to 12 digits.</source>
        <translation>รหัส PIN ต้องเป็นตัวเลข 6 ถึง 12 หลัก</translation>
    </message>
    <message>
        <source>Choose a PIN that is not one digit repeated or digits in a row.</source>
        <translation>กรุณาตั้งรหัสที่ไม่ใช่เลขซ้ำกันทั้งหมดหรือเลขเรียงกัน</translation>
    </message>
    <message>
        <source>The two PINs are not the same. Enter the new PIN again.</source>
        <translation>รหัสทั้งสองครั้งไม่ตรงกัน กรุณาใส่รหัสใหม่อีกครั้ง</translation>
    </message>
    <message>
        <source>The collector address starts with http:// or https://.</source>
        <translation>ที่อยู่ระบบกลางต้องขึ้นต้นด้วย http:// หรือ https://</translation>
    </message>
    <message>
        <source>Enter the collector&apos;s address to enrol now.</source>
        <translation>กรุณาใส่ที่อยู่ระบบกลางเพื่อลงทะเบียนตอนนี้</translation>
    </message>
    <message>
        <source>Enter the one-time token to enrol now.</source>
        <translation>กรุณาใส่รหัสลงทะเบียนเพื่อลงทะเบียนตอนนี้</translation>
    </message>
    <message>
        <source>The token is too long.</source>
        <translation>รหัสลงทะเบียนยาวเกินไป</translation>
    </message>
    <message>
        <source>Some steps are not finished.</source>
        <translation>ยังทำบางขั้นตอนไม่เสร็จ</translation>
    </message>
    <message>
        <source>This answer cannot be used.</source>
        <translation>ใช้ข้อมูลนี้ไม่ได้</translation>
    </message>
    <message>
        <source>This kiosk is enrolled with the central collector for this district office, so it can no longer be changed here. If it is wrong, call the central office.</source>
        <translation>ตู้นี้ลงทะเบียนกับระบบกลางในนามที่ว่าการอำเภอนี้แล้ว จึงเปลี่ยนที่นี่ไม่ได้อีก ถ้าอำเภอไม่ถูกต้อง โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>Citizens have already voted on this kiosk for this district office, and their votes cannot be changed, so it can no longer be changed here. If it is wrong, call the central office.</source>
        <translation>มีประชาชนประเมินที่ตู้นี้ในนามที่ว่าการอำเภอนี้แล้ว และผลการประเมินแก้ไขไม่ได้ จึงเปลี่ยนที่นี่ไม่ได้อีก ถ้าอำเภอไม่ถูกต้อง โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>The kiosk is not set up yet: the setup wizard chooses its district office.</source>
        <translation>ตู้ยังไม่ได้ตั้งค่า เลือกที่ว่าการอำเภอในตัวช่วยตั้งค่า</translation>
    </message>
    <message>
        <source>That is not a district office: choose one from the list.</source>
        <translation>นี่ไม่ใช่ที่ว่าการอำเภอ กรุณาเลือกจากรายการ</translation>
    </message>
    <message>
        <source>The kiosk&apos;s settings or votes could not be read, so the district office cannot be changed now. Nothing was changed. Call the central office.</source>
        <translation>อ่านการตั้งค่าหรือผลการประเมินของตู้ไม่ได้ จึงเปลี่ยนที่ว่าการอำเภอตอนนี้ไม่ได้ ไม่มีการเปลี่ยนแปลงใด ๆ โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>The PIN file is damaged. Ask a technician (see the clerk&apos;s guide).</source>
        <translation>ไฟล์รหัส PIN เสียหาย กรุณาติดต่อช่างเทคนิค (ดูคู่มือเจ้าหน้าที่)</translation>
    </message>
    <message>
        <source>The new PIN could not be saved (is the storage full?).</source>
        <translation>บันทึกรหัส PIN ใหม่ไม่สำเร็จ (หน่วยความจำเต็มหรือไม่)</translation>
    </message>
    <message>
        <source>The PIN cannot be checked.</source>
        <translation>ตรวจสอบรหัส PIN ไม่ได้</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>The figures cannot be read: %1</source>
        <translation>อ่านตัวเลขสรุปไม่ได้: %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ยังไม่เคย</translation>
    </message>
    <message>
        <source>Not sure who — %1</source>
        <translation>ไม่แน่ใจว่าใคร — %1</translation>
    </message>
    <message>
        <source>No votes yet.</source>
        <translation>ยังไม่มีผลการประเมิน</translation>
    </message>
    <message>
        <source>No stories yet.</source>
        <translation>ยังไม่มีเรื่องเล่า</translation>
    </message>
    <message>
        <source>There are no staff, units or services yet: citizens will not be asked &apos;Who served you today?&apos; until you add them under Staff and services.</source>
        <translation>ยังไม่มีรายชื่อเจ้าหน้าที่ หน่วยงาน หรือบริการ — ประชาชนจะไม่เห็นข้อ &apos;ท่านได้รับบริการจากใคร&apos; จนกว่าจะเพิ่มในเมนู &apos;รายชื่อและบริการ&apos;</translation>
    </message>
    <message>
        <source> (retired)</source>
        <translation> (เลิกใช้แล้ว)</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>พอใจมากที่สุด</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>พอใจมาก</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>พอใจปานกลาง</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>ไม่พอใจ</translation>
    </message>
    <message>
        <source>Very unsatisfied</source>
        <translation>ไม่พอใจมาก</translation>
    </message>
    <message>
        <source>Not enrolled with the central collector: votes go out on a USB stick.</source>
        <translation>ยังไม่ได้ลงทะเบียนกับระบบกลาง ส่งผลการประเมินด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Enrolled by USB stick: votes go out on a USB stick.</source>
        <translation>ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว ส่งผลการประเมินด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Sending to %1</source>
        <translation>ส่งไปที่ %1</translation>
    </message>
    <message>
        <source>Sent by itself every %1 min when there is internet.</source>
        <extracomment>%1 is a number of minutes, e.g. 5.</extracomment>
        <translation>เครื่องส่งผลเองทุก %1 นาทีเมื่อมีอินเทอร์เน็ต</translation>
    </message>
    <message>
        <source>%1 to send, %2 delivered</source>
        <extracomment>%1 votes still to send, %2 votes the collector has acknowledged.</extracomment>
        <translation>รอส่ง %1 รายการ ส่งถึงแล้ว %2 รายการ</translation>
    </message>
    <message>
        <source>1 vote to send again (the central office asked for it)</source>
        <translation>ต้องส่งซ้ำ 1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)</translation>
    </message>
    <message>
        <source>%1 votes to send again (the central office asked for them)</source>
        <extracomment>%1 delivered votes the central collector lost (restored from a backup) and asked this kiosk for again; they are sent by themselves at the next send.</extracomment>
        <translation>ต้องส่งซ้ำ %1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)</translation>
    </message>
    <message>
        <source>Last problem (%1): %2</source>
        <extracomment>%1 is when sending last failed (local time), %2 the reason in plain words.</extracomment>
        <translation>ปัญหาล่าสุด (%1): %2</translation>
    </message>
    <message>
        <source>A vote could not be saved (%1): %2</source>
        <extracomment>A citizen&apos;s vote could not be saved; %1 is when, %2 the reason.</extracomment>
        <translation>มีผลการประเมินที่บันทึกไม่ได้ (%1): %2</translation>
    </message>
    <message>
        <source>Kiosk fingerprint: %1</source>
        <translation>ลายนิ้วมือกุญแจของตู้: %1</translation>
    </message>
    <message>
        <source>Kiosk id: %1</source>
        <translation>รหัสตู้: %1</translation>
    </message>
    <message>
        <source>District: %1 (%2)</source>
        <translation>อำเภอ: %1 (%2)</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>รุ่นโปรแกรม: %1</translation>
    </message>
    <message>
        <source>QR code of the kiosk&apos;s id and key</source>
        <translation>คิวอาร์โค้ดรหัสตู้และกุญแจ</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>กำลังส่ง…</translation>
    </message>
    <message>
        <source>All votes have been sent.</source>
        <translation>ส่งผลการประเมินครบทั้งหมดแล้ว</translation>
    </message>
    <message>
        <source>All votes have been sent, and the central office confirmed that it holds every one of them.</source>
        <translation>ส่งผลการประเมินครบทั้งหมดแล้ว และส่วนกลางยืนยันว่าได้รับครบทุกรายการ</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>ภาพรวม</translation>
    </message>
    <message>
        <source>Votes today</source>
        <translation>ผลการประเมินวันนี้</translation>
    </message>
    <message>
        <source>Votes in all</source>
        <translation>ผลการประเมินทั้งหมด</translation>
    </message>
    <message>
        <source>Not yet sent</source>
        <translation>ยังไม่ได้ส่ง</translation>
    </message>
    <message>
        <source>Last sent</source>
        <translation>ส่งล่าสุด</translation>
    </message>
    <message>
        <source>How satisfied citizens were</source>
        <translation>ความพึงพอใจของประชาชน</translation>
    </message>
    <message>
        <source>Votes per staff member and unit</source>
        <translation>จำนวนผลการประเมินรายเจ้าหน้าที่และหน่วยงาน</translation>
    </message>
    <message>
        <source>Latest stories</source>
        <translation>เรื่องเล่าความประทับใจล่าสุด</translation>
    </message>
    <message>
        <source>Sending to the central office</source>
        <translation>การส่งข้อมูลไปส่วนกลาง</translation>
    </message>
    <message>
        <source>This kiosk</source>
        <translation>ข้อมูลตู้นี้</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>คิวอาร์โค้ด</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>ส่งตอนนี้</translation>
    </message>
    <message>
        <source>Not enrolled yet: enrol in Settings. Until then, export on a USB stick.</source>
        <translation>ยังไม่ได้ลงทะเบียน: ลงทะเบียนที่เมนู ตั้งค่า ระหว่างนี้ส่งออกด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>No collector address yet: type it in Settings. Until then, export on a USB stick.</source>
        <translation>ยังไม่มีที่อยู่ระบบกลาง: ใส่ที่เมนู ตั้งค่า ระหว่างนี้ส่งออกด้วยแฟลชไดรฟ์</translation>
    </message>
</context>
<context>
    <name>DisplayBar</name>
    <message>
        <source>Listen</source>
        <translation>ฟังเสียง</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>หยุดเสียง</translation>
    </message>
    <message>
        <source>Listen again</source>
        <translation>ฟังอีกครั้ง</translation>
    </message>
    <message>
        <source>No voice</source>
        <translation>ไม่มีเสียงอ่าน</translation>
    </message>
    <message>
        <source>Read this screen aloud</source>
        <translation>อ่านหน้าจอนี้ออกเสียง</translation>
    </message>
    <message>
        <source>Reads the question and the choices aloud, until the next person starts</source>
        <translation>อ่านคำถามและตัวเลือกออกเสียง จนกว่าผู้รับบริการคนถัดไปจะเริ่ม</translation>
    </message>
    <message>
        <source>Sorry, this kiosk cannot read aloud in English yet.</source>
        <extracomment>Shown when the speaker is tapped but the kiosk has no voice for the screen&apos;s language.</extracomment>
        <translation>ขออภัย เครื่องนี้ยังอ่านออกเสียงภาษาไทยไม่ได้</translation>
    </message>
    <message>
        <source>ไทย</source>
        <extracomment>The language switch shows the name of the OTHER language, written in that language.</extracomment>
        <translation>English</translation>
    </message>
    <message>
        <source>Switch to Thai (ภาษาไทย)</source>
        <extracomment>For screen readers: the language switch changes to the OTHER language.</extracomment>
        <translation>เปลี่ยนเป็นภาษาอังกฤษ (English)</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>ตัวอักษรใหญ่</translation>
    </message>
    <message>
        <source>Makes the text larger until the next person starts</source>
        <translation>ขยายตัวอักษรให้ใหญ่ขึ้น จนกว่าผู้ประเมินคนถัดไปจะเริ่ม</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>ความคมชัดสูง</translation>
    </message>
    <message>
        <source>White and yellow on black, until the next person starts</source>
        <translation>ตัวอักษรสีขาวและเหลืองบนพื้นดำ จนกว่าผู้ประเมินคนถัดไปจะเริ่ม</translation>
    </message>
</context>
<context>
    <name>DistrictCard</name>
    <message>
        <source>District office</source>
        <translation>ที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Change the district office</source>
        <translation>เปลี่ยนที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Checking whether it can still be changed…</source>
        <translation>กำลังตรวจว่ายังเปลี่ยนได้หรือไม่…</translation>
    </message>
    <message>
        <source>Chosen wrongly in setup? It can be changed until the kiosk is enrolled or the first citizen votes.</source>
        <translation>เลือกผิดตอนตั้งค่าหรือไม่ เปลี่ยนได้จนกว่าตู้จะลงทะเบียน หรือจนกว่าประชาชนคนแรกจะประเมิน</translation>
    </message>
</context>
<context>
    <name>ExportScreen</name>
    <message>
        <source>%1 — %2 free</source>
        <extracomment>A USB stick in the list: %1 its name, %2 its free space (e.g. 3.2 GB).</extracomment>
        <translation>%1 — ว่าง %2</translation>
    </message>
    <message>
        <source>Every vote has been delivered: there is nothing to export.</source>
        <translation>ส่งผลการประเมินครบแล้ว ไม่มีอะไรต้องส่งออก</translation>
    </message>
    <message>
        <source>%1 votes not yet delivered will be written: about %2.</source>
        <extracomment>%1 votes, %2 their size (e.g. 85.2 KB)</extracomment>
        <translation>จะเขียนผลการประเมินที่ยังไม่ได้ส่ง %1 รายการ ขนาดประมาณ %2</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled yet: the central office can count these votes only after enrolling it. Its enrollment request is written on the stick with them.</source>
        <translation>ตู้นี้ยังไม่ได้ลงทะเบียน ส่วนกลางจะนับผลการประเมินเหล่านี้ได้หลังลงทะเบียนตู้แล้วเท่านั้น คำขอลงทะเบียนของตู้จะถูกเขียนลงแฟลชไดรฟ์ไปพร้อมกัน</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>ปลายทาง: %1</translation>
    </message>
    <message>
        <source>The stick has only %1 free: not enough.</source>
        <translation>แฟลชไดรฟ์เหลือที่ว่างเพียง %1 ไม่พอ</translation>
    </message>
    <message>
        <source>Choose a USB stick above, or a folder.</source>
        <translation>เลือกแฟลชไดรฟ์ด้านบน หรือเลือกโฟลเดอร์</translation>
    </message>
    <message>
        <source>The USB stick you chose (%1) has been removed. Plug it in again and press Look again, or choose another stick or a folder.</source>
        <extracomment>%1 is the stick by its name (and the folder on it), e.g. USB stick KINGSTON</extracomment>
        <translation>แฟลชไดรฟ์ที่เลือกไว้ (%1) ถูกถอดออกแล้ว เสียบกลับเข้าไปแล้วกด ค้นหาอีกครั้ง หรือเลือกแฟลชไดรฟ์อื่นหรือโฟลเดอร์</translation>
    </message>
    <message>
        <source>%1 votes not yet delivered will be written.</source>
        <extracomment>%1 votes never delivered yet.</extracomment>
        <translation>จะเขียนผลการประเมินที่ยังไม่ได้ส่ง %1 รายการ</translation>
    </message>
    <message>
        <source>Every vote has been delivered.</source>
        <translation>ส่งผลการประเมินครบทุกรายการแล้ว</translation>
    </message>
    <message>
        <source>1 delivered vote the central office asked for again goes too (it lost it when it restored a backup).</source>
        <translation>จะเขียนผลการประเมินที่ส่งถึงแล้ว 1 รายการ ซึ่งส่วนกลางขอให้ส่งอีกครั้ง (ส่วนกลางกู้ข้อมูลจากสำเนาสำรองจึงขาดไป)</translation>
    </message>
    <message>
        <source>%1 delivered votes the central office asked for again go too (it lost them when it restored a backup).</source>
        <extracomment>%1 delivered votes the central collector lost (restored from a backup) and asked for again in its receipts: not late votes.</extracomment>
        <translation>จะเขียนผลการประเมินที่ส่งถึงแล้ว %1 รายการ ซึ่งส่วนกลางขอให้ส่งอีกครั้ง (ส่วนกลางกู้ข้อมูลจากสำเนาสำรองจึงขาดไป)</translation>
    </message>
    <message>
        <source>About %1 in all.</source>
        <extracomment>%1 the size of everything written (e.g. 85.2 KB)</extracomment>
        <translation>ขนาดรวมประมาณ %1</translation>
    </message>
    <message>
        <source>Writing… do not remove the USB stick.</source>
        <translation>กำลังเขียน… ห้ามถอดแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Nothing to export: every vote has been delivered.</source>
        <translation>ไม่มีอะไรต้องส่งออก ส่งผลการประเมินครบแล้ว</translation>
    </message>
    <message>
        <source>Done: %1 votes written and checked (files: %2), with a summary for Excel. You can remove the USB stick safely now. The votes count as sent once the central office&apos;s receipt is read back from the stick.</source>
        <extracomment>%1 votes, %2 files. Said only after every file was written, flushed and read back.</extracomment>
        <translation>เสร็จแล้ว: ผลการประเมิน %1 รายการ เขียนและตรวจสอบแล้ว (จำนวนไฟล์: %2) พร้อมไฟล์สรุปสำหรับ Excel ถอดแฟลชไดรฟ์ได้อย่างปลอดภัย ผลการประเมินจะนับว่าส่งแล้วเมื่ออ่านใบตอบรับจากส่วนกลางกลับจากแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>1 of them is a vote the central office asked for again (delivered before).</source>
        <translation>ในจำนวนนี้ 1 รายการเป็นผลการประเมินที่ส่วนกลางขอให้ส่งอีกครั้ง (เคยส่งถึงแล้ว)</translation>
    </message>
    <message>
        <source>%1 of them are votes the central office asked for again (delivered before).</source>
        <extracomment>%1 of the votes written were delivered before and sent again because the central office asked for them.</extracomment>
        <translation>ในจำนวนนี้ %1 รายการเป็นผลการประเมินที่ส่วนกลางขอให้ส่งอีกครั้ง (เคยส่งถึงแล้ว)</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled yet, so its enrollment request (kiosk %1) is on the stick too: the central office enrols the kiosk from it when it imports the votes, and they count from then on. Then read the answer back in Settings (No internet? Enrol by USB stick).</source>
        <extracomment>%1 is this kiosk&apos;s fingerprint, e.g. 8E1B-0C55-3A7F-92D4.</extracomment>
        <translation>ตู้นี้ยังไม่ได้ลงทะเบียน จึงเขียนคำขอลงทะเบียน (ตู้ %1) ไว้ในแฟลชไดรฟ์ด้วย ส่วนกลางจะลงทะเบียนตู้จากคำขอนี้ตอนนำเข้าผลการประเมิน และนับผลได้ตั้งแต่นั้น จากนั้นนำคำตอบกลับมาอ่านที่ ตั้งค่า (ไม่มีอินเทอร์เน็ต? ลงทะเบียนด้วยแฟลชไดรฟ์)</translation>
    </message>
    <message>
        <source>%1 files were complete before that.</source>
        <extracomment>After a failed export: %1 files were written completely before the failure.</extracomment>
        <translation>ก่อนหน้านั้นเขียนไฟล์ครบแล้ว %1 ไฟล์</translation>
    </message>
    <message>
        <source>There are no receipts on this USB stick yet.</source>
        <translation>ยังไม่มีใบตอบรับในแฟลชไดรฟ์นี้</translation>
    </message>
    <message>
        <source>Campaign read from the USB stick: %1 (year %2), from %3 to %4.</source>
        <extracomment>%1 the campaign&apos;s name, %2 its Buddhist-era year, %3 and %4 its first and last days, e.g. 1 November 2569.</extracomment>
        <translation>อ่านแคมเปญจากแฟลชไดรฟ์แล้ว: %1 (ปี พ.ศ. %2) ตั้งแต่ %3 ถึง %4</translation>
    </message>
    <message>
        <source>This kiosk already has a newer campaign, and keeps it: %1.</source>
        <extracomment>%1 is the name of the campaign the kiosk keeps (newer than the stick&apos;s).</extracomment>
        <translation>ตู้นี้มีแคมเปญที่ใหม่กว่าอยู่แล้วและยังใช้แคมเปญนั้นต่อ: %1</translation>
    </message>
    <message>
        <source>%1: this campaign file is not from this kiosk&apos;s central office and was not used.</source>
        <extracomment>%1 is the file&apos;s name, e.g. sangsuk-2570.campaign.json.</extracomment>
        <translation>%1: ไฟล์แคมเปญนี้ไม่ได้มาจากส่วนกลางของตู้นี้ จึงไม่ได้นำมาใช้ โปรดติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>%1: this campaign file cannot be read and was not used.</source>
        <extracomment>%1 is the file&apos;s name, e.g. sangsuk-2570.campaign.json.</extracomment>
        <translation>%1: อ่านไฟล์แคมเปญนี้ไม่ได้ จึงไม่ได้นำมาใช้</translation>
    </message>
    <message>
        <source>%1 receipts read: %2 votes are now marked as delivered.</source>
        <extracomment>%1 receipt files read, %2 votes newly marked as delivered.</extracomment>
        <translation>อ่านใบตอบรับ %1 ไฟล์ บันทึกว่าส่งถึงแล้ว %2 รายการ</translation>
    </message>
    <message>
        <source>1 vote to send again (the central office asked for it): it goes on the next USB stick.</source>
        <translation>ต้องส่งซ้ำ 1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง): จะใส่ลงแฟลชไดรฟ์ครั้งถัดไปด้วย</translation>
    </message>
    <message>
        <source>%1 votes to send again (the central office asked for them): they go on the next USB stick.</source>
        <extracomment>%1 delivered votes the central collector lost (restored from a backup) and asked for again in its receipts.</extracomment>
        <translation>ต้องส่งซ้ำ %1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง): จะใส่ลงแฟลชไดรฟ์ครั้งถัดไปด้วย</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Export to a USB stick</source>
        <translation>ส่งออกด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>When the internet is down, carry the votes to the central office on a USB stick. Plug the stick in, choose it, and press Export.</source>
        <translation>เมื่ออินเทอร์เน็ตใช้ไม่ได้ ให้นำผลการประเมินไปส่งส่วนกลางด้วยแฟลชไดรฟ์ เสียบแฟลชไดรฟ์ เลือก แล้วกด ส่งออก</translation>
    </message>
    <message>
        <source>No USB stick found. Plug one in and press Look again, or choose a folder.</source>
        <translation>ไม่พบแฟลชไดรฟ์ เสียบแล้วกด ค้นหาอีกครั้ง หรือเลือกโฟลเดอร์</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>ค้นหาอีกครั้ง</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>เลือกโฟลเดอร์…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>ส่งออก</translation>
    </message>
    <message>
        <source>Read receipts from the stick</source>
        <translation>อ่านใบตอบรับจากแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>%1 · folder %2</source>
        <extracomment>Where an export goes: %1 a USB stick (or the home folder), %2 the folder on it.</extracomment>
        <translation>%1 · โฟลเดอร์ %2</translation>
    </message>
</context>
<context>
    <name>FilePicker</name>
    <message>
        <source>USB sticks and folders of this kiosk</source>
        <translation>แฟลชไดรฟ์และโฟลเดอร์ในเครื่องนี้</translation>
    </message>
    <message>
        <source>USB stick %1 (%2 free)</source>
        <extracomment>A USB stick among the places: %1 its name, %2 its free space (e.g. 3.2 GB).</extracomment>
        <translation>แฟลชไดรฟ์ %1 (ว่าง %2)</translation>
    </message>
    <message>
        <source>USB stick %1</source>
        <extracomment>A USB stick at the start of the breadcrumb: %1 its name.</extracomment>
        <translation>แฟลชไดรฟ์ %1</translation>
    </message>
    <message>
        <source>Home folder</source>
        <translation>โฟลเดอร์หลัก</translation>
    </message>
    <message>
        <source>This computer (every folder)</source>
        <translation>ทั้งเครื่อง (ทุกโฟลเดอร์)</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>ทั้งเครื่อง</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>กำลังเปิด…</translation>
    </message>
    <message>
        <source>Tap the USB stick, or the folder that holds it.</source>
        <translation>แตะแฟลชไดรฟ์ หรือโฟลเดอร์ที่มีแฟลชไดรฟ์อยู่</translation>
    </message>
    <message>
        <source>Tap the USB stick or the folder that holds the photo.</source>
        <translation>แตะแฟลชไดรฟ์หรือโฟลเดอร์ที่เก็บรูปถ่ายไว้</translation>
    </message>
    <message>
        <source>There are no folders in here. Tap “Use this folder” to use this one.</source>
        <translation>ในนี้ไม่มีโฟลเดอร์ย่อย แตะ “ใช้โฟลเดอร์นี้” เพื่อใช้โฟลเดอร์นี้</translation>
    </message>
    <message>
        <source>There are no photos (PNG or JPEG) or folders in here.</source>
        <translation>ในนี้ไม่มีรูปถ่าย (PNG หรือ JPEG) และไม่มีโฟลเดอร์ย่อย</translation>
    </message>
    <message>
        <source>Only the first %1 are shown: this folder holds too many.</source>
        <extracomment>%1 how many rows are shown of a folder that holds more.</extracomment>
        <translation>แสดงเพียง %1 รายการแรก เพราะโฟลเดอร์นี้มีรายการมากเกินไป</translation>
    </message>
    <message>
        <source>Tap a folder to open it. Tap “Use this folder” when the one you want is open.</source>
        <translation>แตะโฟลเดอร์เพื่อเปิด เมื่อเปิดโฟลเดอร์ที่ต้องการแล้ว แตะ “ใช้โฟลเดอร์นี้”</translation>
    </message>
    <message>
        <source>Tap a folder to open it, or tap the photo (PNG or JPEG).</source>
        <translation>แตะโฟลเดอร์เพื่อเปิด หรือแตะรูปถ่ายที่ต้องการ (PNG หรือ JPEG)</translation>
    </message>
    <message>
        <source>%1 · not a picture</source>
        <extracomment>In a photo&apos;s row, after its name and size: the file&apos;s content is no picture.</extracomment>
        <translation>%1 · ไม่ใช่รูปภาพ</translation>
    </message>
    <message>
        <source>%1 is not a picture. Choose another photo.</source>
        <extracomment>A file tapped in the photo picker whose content is no picture: %1 its name.</extracomment>
        <translation>%1 ไม่ใช่รูปภาพ กรุณาเลือกรูปอื่น</translation>
    </message>
    <message>
        <source>This folder is not there any more: was the USB stick pulled out? Plug it back in, then tap “Up one level” or choose it again.</source>
        <translation>ไม่พบโฟลเดอร์นี้แล้ว แฟลชไดรฟ์ถูกถอดออกหรือไม่ เสียบกลับเข้าไป แล้วแตะ “ขึ้นไปหนึ่งชั้น” หรือเลือกใหม่อีกครั้ง</translation>
    </message>
    <message>
        <source>The kiosk is not allowed to open this folder. Tap “Up one level” and choose another folder.</source>
        <translation>เครื่องไม่ได้รับอนุญาตให้เปิดโฟลเดอร์นี้ แตะ “ขึ้นไปหนึ่งชั้น” แล้วเลือกโฟลเดอร์อื่น</translation>
    </message>
    <message>
        <source>This is not a folder any more. Tap “Up one level” and choose again.</source>
        <translation>รายการนี้ไม่ใช่โฟลเดอร์แล้ว แตะ “ขึ้นไปหนึ่งชั้น” แล้วเลือกใหม่</translation>
    </message>
    <message>
        <source>This folder could not be read: was the USB stick pulled out, or is it damaged? Plug it back in and tap “Up one level”, or choose another folder.</source>
        <translation>อ่านโฟลเดอร์นี้ไม่ได้ แฟลชไดรฟ์ถูกถอดออกหรือชำรุดหรือไม่ เสียบกลับเข้าไปแล้วแตะ “ขึ้นไปหนึ่งชั้น” หรือเลือกโฟลเดอร์อื่น</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>เลือกโฟลเดอร์</translation>
    </message>
    <message>
        <source>Choose a photo</source>
        <translation>เลือกรูปถ่าย</translation>
    </message>
    <message>
        <source>Up one level</source>
        <translation>ขึ้นไปหนึ่งชั้น</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <source>Use this folder</source>
        <translation>ใช้โฟลเดอร์นี้</translation>
    </message>
</context>
<context>
    <name>ImpressionScreen</name>
    <message>
        <source>Shows the first answers again</source>
        <translation>แสดงคำตอบชุดแรกอีกครั้ง</translation>
    </message>
    <message>
        <source>Shows more answers to choose from</source>
        <translation>แสดงคำตอบอื่น ๆ ให้เลือก</translation>
    </message>
    <message>
        <source>%1 more</source>
        <extracomment>The chip after a page of tags that do not all fit; %1 is how many later pages hold.</extracomment>
        <translation>อีก %1 ข้อ</translation>
    </message>
    <message>
        <source>Back to the first</source>
        <extracomment>The chip after the last page of tags: it shows the first page again.</extracomment>
        <translation>กลับไปข้อแรก</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <extracomment>Read aloud after the first ten tags of a long list; %1 is how many were not read.</extracomment>
        <translation>และอีก %1 ข้อ</translation>
    </message>
    <message>
        <source>Edit your story</source>
        <translation>แก้ไขเรื่องราวของท่าน</translation>
    </message>
    <message>
        <source>Tap here to tell us what happened, in your own words (optional)</source>
        <translation>แตะที่นี่เพื่อเล่าสิ่งที่เกิดขึ้นด้วยคำพูดของท่านเอง (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Write about what happened (optional)</source>
        <translation>เขียนเล่าสิ่งที่เกิดขึ้น (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Opens a keyboard to tell us in a few words what went wrong</source>
        <translation>เปิดแป้นพิมพ์เพื่อเล่าสั้น ๆ ว่าเกิดปัญหาอะไร</translation>
    </message>
    <message>
        <source>Tap here to tell us more in your own words (optional)</source>
        <translation>แตะที่นี่เพื่อเล่าความประทับใจด้วยคำพูดของท่านเอง (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Write about it (optional)</source>
        <translation>เขียนเล่าความประทับใจ (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Opens a keyboard for a short story of what impressed you</source>
        <translation>เปิดแป้นพิมพ์เพื่อเขียนเรื่องราวสั้น ๆ ที่ท่านประทับใจ</translation>
    </message>
    <message>
        <source>What could we do better?</source>
        <extracomment>Asked after an unhappy face (1 or 2 of 5) instead of &quot;What impressed you?&quot;.</extracomment>
        <translation>มีอะไรที่เราควรปรับปรุงบ้าง</translation>
    </message>
    <message>
        <source>We are sorry. Choose what went wrong, as many as you like, or none</source>
        <extracomment>Under &quot;What could we do better?&quot;, above tags such as &quot;long wait&quot;.</extracomment>
        <translation>ขออภัยที่บริการยังไม่ดีพอ เลือกเรื่องที่พบได้หลายข้อ หรือไม่เลือกก็ได้</translation>
    </message>
    <message>
        <source>We are sorry. Tell us what went wrong if you like, or tap Send</source>
        <extracomment>In its place when the roster has no concern tags: only the story box follows.</extracomment>
        <translation>ขออภัยที่บริการยังไม่ดีพอ เล่าให้เราทราบได้ หรือกด ส่งความเห็น ได้เลย</translation>
    </message>
    <message>
        <source>What impressed you?</source>
        <translation>อะไรที่ทำให้ท่านประทับใจ</translation>
    </message>
    <message>
        <source>Choose as many as you like, or none</source>
        <translation>เลือกได้หลายข้อ หรือไม่เลือกก็ได้</translation>
    </message>
    <message>
        <source>Tell us in a few words if you like, or tap Send</source>
        <extracomment>Under &quot;What impressed you?&quot; when the roster has no impression tags.</extracomment>
        <translation>เล่าให้เราฟังสั้น ๆ ได้ถ้าต้องการ หรือกด ส่งความเห็น ได้เลย</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>ส่งความเห็น</translation>
    </message>
    <message>
        <source>Send your feedback</source>
        <translation>ส่งความเห็นของท่าน</translation>
    </message>
    <message>
        <source>Sends your answers; the story is optional</source>
        <translation>ส่งคำตอบของท่าน ไม่จำเป็นต้องเขียนเรื่องราว</translation>
    </message>
</context>
<context>
    <name>KeyboardPanel</name>
    <message>
        <source>Hide keyboard</source>
        <translation>ซ่อนแป้นพิมพ์</translation>
    </message>
</context>
<context>
    <name>KioskApp</name>
    <message>
        <source>Sangsuk cannot start</source>
        <translation>ระบบประเมินเริ่มทำงานไม่ได้</translation>
    </message>
    <message>
        <source>The kiosk&apos;s settings cannot be used. Please ask the district clerk to check them.</source>
        <translation>ใช้การตั้งค่าของตู้ประเมินนี้ไม่ได้ กรุณาแจ้งเจ้าหน้าที่อำเภอให้ตรวจสอบ</translation>
    </message>
    <message>
        <source>The kiosk is already running on this tablet (the same data folder).</source>
        <translation>ตู้ประเมินเปิดทำงานอยู่แล้วบนแท็บเล็ตนี้ (โฟลเดอร์ข้อมูลเดียวกัน)</translation>
    </message>
</context>
<context>
    <name>KioskArguments</name>
    <message>
        <source>Sangsuk vote kiosk. With no subcommand, starts the kiosk window.</source>
        <translation>ตู้ประเมินความพึงพอใจสร้างสุข ถ้าไม่ระบุคำสั่งย่อย จะเปิดหน้าจอตู้ประเมิน</translation>
    </message>
    <message>
        <source>a normal window instead of full-screen kiosk mode</source>
        <translation>เปิดเป็นหน้าต่างปกติ แทนการเปิดเต็มจอแบบตู้ประเมิน</translation>
    </message>
    <message>
        <source>start the window in this language; a subcommand prints only this language (default: Thai, then English)</source>
        <translation>เปิดหน้าจอเป็นภาษานี้ และให้คำสั่งย่อยแสดงผลเป็นภาษานี้ภาษาเดียว (ถ้าไม่ระบุ แสดงภาษาไทยก่อน แล้วตามด้วยภาษาอังกฤษ)</translation>
    </message>
    <message>
        <source>print only this language (default: Thai, then English)</source>
        <translation>แสดงผลเป็นภาษานี้ภาษาเดียว (ถ้าไม่ระบุ แสดงภาษาไทยก่อน แล้วตามด้วยภาษาอังกฤษ)</translation>
    </message>
    <message>
        <source>check this installation without a screen (fonts, translations, the welcome screen, one vote in a temporary ledger), print the result and exit: 0 when whole, 1 if not</source>
        <translation>ตรวจความครบถ้วนของโปรแกรมที่ติดตั้ง โดยไม่ต้องใช้จอภาพ (แบบอักษร คำแปล หน้าต้อนรับ และผลการประเมินทดสอบ 1 รายการในฐานข้อมูลชั่วคราว) แสดงผลแล้วจบการทำงาน: รหัสออก 0 เมื่อครบ 1 เมื่อไม่ครบ</translation>
    </message>
    <message>
        <source>print the version and exit (deploy/install.sh)</source>
        <translation>แสดงรุ่นของโปรแกรม แล้วจบการทำงาน (ใช้โดย deploy/install.sh)</translation>
    </message>
    <message>
        <source>cast realistic demo votes through the real ledger</source>
        <translation>บันทึกผลการประเมินทดลองที่เหมือนจริง ผ่านฐานข้อมูลผลการประเมินจริง</translation>
    </message>
    <message>
        <source>how many votes to cast</source>
        <translation>จำนวนผลการประเมินที่จะบันทึก</translation>
    </message>
    <message>
        <source>random seed, for repeatable demo data</source>
        <translation>ค่าตั้งต้นของการสุ่ม เพื่อให้ได้ข้อมูลทดลองชุดเดิมทุกครั้ง</translation>
    </message>
    <message>
        <source>check the whole ledger: integrity, signatures, chain</source>
        <translation>ตรวจฐานข้อมูลผลการประเมินทั้งหมด: ความสมบูรณ์ของไฟล์ ลายเซ็น และสายโซ่</translation>
    </message>
    <message>
        <source>enroll with the collector using a one-time token from the central office</source>
        <translation>ลงทะเบียนกับระบบกลาง ด้วยรหัสลงทะเบียนใช้ครั้งเดียวที่ได้จากส่วนกลาง</translation>
    </message>
    <message>
        <source>the collector&apos;s address</source>
        <translation>ที่อยู่ของระบบกลาง</translation>
    </message>
    <message>
        <source>the one-time enrollment token</source>
        <translation>รหัสลงทะเบียนใช้ครั้งเดียว</translation>
    </message>
    <message>
        <source>a CA certificate file for the collector&apos;s TLS</source>
        <translation>ไฟล์ใบรับรอง CA สำหรับการเชื่อมต่อ TLS กับระบบกลาง</translation>
    </message>
    <message>
        <source>write an enrollment request to a folder (USB stick) for the central office</source>
        <translation>เขียนคำขอลงทะเบียนลงโฟลเดอร์ (แฟลชไดรฟ์) เพื่อนำไปให้ส่วนกลาง</translation>
    </message>
    <message>
        <source>the folder to write to: the USB stick</source>
        <translation>โฟลเดอร์ที่จะเขียนลงไป คือแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>the one-time token from the enrollment sheet, if any</source>
        <translation>รหัสลงทะเบียนใช้ครั้งเดียวจากใบลงทะเบียน (ถ้ามี)</translation>
    </message>
    <message>
        <source>enroll with the collector&apos;s answer file (or the stick holding it)</source>
        <translation>ลงทะเบียนด้วยไฟล์คำตอบจากระบบกลาง (หรือแฟลชไดรฟ์ที่มีไฟล์นั้น)</translation>
    </message>
    <message>
        <source>the answer file, or the folder (USB stick) that holds it</source>
        <translation>ไฟล์คำตอบ หรือโฟลเดอร์ (แฟลชไดรฟ์) ที่มีไฟล์นั้น</translation>
    </message>
    <message>
        <source>send pending votes to the collector</source>
        <translation>ส่งผลการประเมินที่รอส่งไปยังระบบกลาง</translation>
    </message>
    <message>
        <source>one pass, then exit (default: keep running)</source>
        <translation>ส่งรอบเดียว แล้วจบการทำงาน (ถ้าไม่ระบุ จะทำงานต่อไปเรื่อย ๆ)</translation>
    </message>
    <message>
        <source>kiosk id, district, pending and delivered votes</source>
        <translation>รหัสตู้ อำเภอ และจำนวนผลการประเมินที่รอส่งและส่งถึงแล้ว</translation>
    </message>
    <message>
        <source>print JSON</source>
        <translation>แสดงผลเป็น JSON</translation>
    </message>
    <message>
        <source>write undelivered votes to a folder (USB stick)</source>
        <translation>เขียนผลการประเมินที่ยังส่งไม่ถึงลงโฟลเดอร์ (แฟลชไดรฟ์)</translation>
    </message>
    <message>
        <source>check this tablet: Qt and its libraries, voice, font, screen, disk, clock, key, ledger</source>
        <translation>ตรวจแท็บเล็ตเครื่องนี้: Qt และไลบรารี เสียงอ่าน แบบอักษร จอภาพ พื้นที่ดิสก์ นาฬิกา กุญแจ และฐานข้อมูลผลการประเมิน</translation>
    </message>
    <message>
        <source>print the findings as JSON</source>
        <translation>แสดงผลการตรวจเป็น JSON</translation>
    </message>
    <message>
        <source>mark votes delivered from a receipt the collector wrote, and keep the campaign notice beside it</source>
        <translation>บันทึกว่าผลการประเมินส่งถึงแล้ว ตามใบตอบรับที่ระบบกลางเขียนไว้ และรับไฟล์แคมเปญที่อยู่คู่กัน</translation>
    </message>
    <message>
        <source>the receipt file the collector wrote (*.receipt.json), or its campaign notice (*.campaign.json)</source>
        <translation>ไฟล์ใบตอบรับที่ระบบกลางเขียนไว้ (*.receipt.json) หรือไฟล์แคมเปญ (*.campaign.json)</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>แสดงวิธีใช้นี้ แล้วจบการทำงาน</translation>
    </message>
    <message>
        <source>options</source>
        <translation>ตัวเลือก</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>ค่าที่ต้องระบุ</translation>
    </message>
    <message>
        <source>usage</source>
        <translation>วิธีใช้</translation>
    </message>
    <message>
        <source>commands</source>
        <translation>คำสั่งย่อย</translation>
    </message>
    <message>
        <source>where the kiosk keeps its key, ledger and settings (default: %1)</source>
        <extracomment>%1 is where the data folder is when --data-dir is not given.</extracomment>
        <translation>โฟลเดอร์ที่ตู้ประเมินเก็บกุญแจ ฐานข้อมูลผลการประเมิน และการตั้งค่า (ถ้าไม่ระบุ ใช้ %1)</translation>
    </message>
    <message>
        <source>--self-test takes no subcommand</source>
        <translation>--self-test ใช้ร่วมกับคำสั่งย่อยไม่ได้</translation>
    </message>
    <message>
        <source>this command needs %1</source>
        <extracomment>%1 names the options that are missing, e.g. --to.</extracomment>
        <translation>คำสั่งนี้ต้องระบุ %1 ด้วย</translation>
    </message>
    <message>
        <source>there is no command %1; the commands are %2</source>
        <extracomment>%1 is what was typed as the subcommand, %2 lists the subcommands.</extracomment>
        <translation>ไม่มีคำสั่ง %1 คำสั่งที่ใช้ได้คือ %2</translation>
    </message>
    <message>
        <source>%1 cannot be %2; it takes %3</source>
        <extracomment>%1 is the option, %2 what was typed after it, %3 the values it takes.</extracomment>
        <translation>%1 เป็น %2 ไม่ได้ เลือกได้จาก %3</translation>
    </message>
    <message>
        <source>%1 needs a whole number, such as 10, not %2</source>
        <extracomment>%1 is the option (e.g. --count), %2 what was typed after it.</extracomment>
        <translation>%1 ต้องเป็นจำนวนเต็ม เช่น 10 แต่ได้รับ %2</translation>
    </message>
    <message>
        <source>%1 cannot take %2</source>
        <translation>%1 ใช้ค่า %2 ไม่ได้</translation>
    </message>
    <message>
        <source>%1 must be followed by a value</source>
        <extracomment>%1 is the option, e.g. --to.</extracomment>
        <translation>ต้องระบุค่าต่อท้าย %1</translation>
    </message>
    <message>
        <source>%1 is not an option of this command (mistyped?)</source>
        <extracomment>%1 is what was typed and is not an option of this command.</extracomment>
        <translation>คำสั่งนี้ไม่มีตัวเลือก %1 (พิมพ์ผิดหรือไม่)</translation>
    </message>
    <message>
        <source>the command is not right: %1</source>
        <extracomment>%1 is argparse&apos;s own English message, for a mistake without words of its own.</extracomment>
        <translation>คำสั่งไม่ถูกต้อง: %1</translation>
    </message>
    <message>
        <source>To see how to use it: %1 --help</source>
        <extracomment>%1 is the command, e.g. &quot;sangsuk-kiosk export&quot;.</extracomment>
        <translation>ดูวิธีใช้ได้ด้วยคำสั่ง %1 --help</translation>
    </message>
</context>
<context>
    <name>KioskCommand</name>
    <message>
        <source>small</source>
        <extracomment>A district office&apos;s size group, as in &quot;District: …, size group small&quot;.</extracomment>
        <translation>เล็ก</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>กลาง</translation>
    </message>
    <message>
        <source>large</source>
        <translation>ใหญ่</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>ไม่ทราบ</translation>
    </message>
    <message>
        <source>No demo votes cast: this kiosk is set up for %1 and enrolled, so they would be sent and counted as citizens&apos; votes. Nothing was written. Use an empty data folder (--data-dir DIR) for demo votes.</source>
        <extracomment>%1 names the district office, e.g. 3706 Hua Taphan, Amnat Charoen.</extracomment>
        <translation>ไม่ได้บันทึกผลการประเมินทดลอง: ตู้ประเมินนี้ตั้งค่าสำหรับอำเภอ %1 และลงทะเบียนแล้ว ผลทดลองจะถูกส่งไปนับเป็นผลการประเมินจริงของประชาชน จึงไม่มีอะไรถูกเขียน ใช้โฟลเดอร์ข้อมูลว่างแทน (--data-dir DIR)</translation>
    </message>
    <message>
        <source>No demo votes cast: this kiosk is set up for %1, so they would be sent and counted as citizens&apos; votes. Nothing was written. Use an empty data folder (--data-dir DIR) for demo votes.</source>
        <translation>ไม่ได้บันทึกผลการประเมินทดลอง: ตู้ประเมินนี้ตั้งค่าสำหรับอำเภอ %1 แล้ว ผลทดลองจะถูกส่งไปนับเป็นผลการประเมินจริงของประชาชน จึงไม่มีอะไรถูกเขียน ใช้โฟลเดอร์ข้อมูลว่างแทน (--data-dir DIR)</translation>
    </message>
    <message>
        <source>the ledger file</source>
        <translation>ไฟล์ฐานข้อมูลผลการประเมิน</translation>
    </message>
    <message>
        <source>The token is for another district office than %1, which this kiosk is set up for. Nothing was changed, and the token was not used: ask the central office for a token for %1.</source>
        <extracomment>%1 names the kiosk&apos;s district office.</extracomment>
        <translation>รหัสลงทะเบียนนี้เป็นของอำเภออื่น ไม่ใช่อำเภอ %1 ที่ตู้ประเมินนี้ตั้งค่าไว้ ไม่มีอะไรเปลี่ยนแปลง และรหัสลงทะเบียนยังไม่ถูกใช้ กรุณาขอรหัสลงทะเบียนของอำเภอ %1 จากส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector enrolled this kiosk for another district office than %1, which this kiosk is set up for. Nothing was changed on this kiosk. Ask the central office to revoke that enrollment and to issue a token for %1.</source>
        <translation>ระบบกลางลงทะเบียนตู้ประเมินนี้ไว้กับอำเภออื่น ไม่ใช่อำเภอ %1 ที่ตู้ประเมินนี้ตั้งค่าไว้ ไม่มีอะไรเปลี่ยนแปลงในตู้ประเมินนี้ กรุณาให้ส่วนกลางยกเลิกการลงทะเบียนนั้น และออกรหัสลงทะเบียนของอำเภอ %1 ให้ใหม่</translation>
    </message>
    <message>
        <source>Not enrolled: %1</source>
        <extracomment>%1 says why, e.g. &quot;The enrolment token is not known. Check it, or …&quot;.</extracomment>
        <translation>ยังไม่ได้ลงทะเบียน: %1</translation>
    </message>
    <message>
        <source>Check the collector address (%1) and this kiosk&apos;s network, then run the same command again. No internet here? Enrol by USB stick: sangsuk-kiosk enroll-request --to FOLDER --token TOKEN, and take the stick to the central office.</source>
        <extracomment>%1 is the collector address typed after --collector.</extracomment>
        <translation>ตรวจที่อยู่ระบบกลาง (%1) และเครือข่ายของตู้ประเมินนี้ แล้วสั่งคำสั่งเดิมอีกครั้ง ถ้าที่นี่ไม่มีอินเทอร์เน็ต ให้ลงทะเบียนด้วยแฟลชไดรฟ์: sangsuk-kiosk enroll-request --to FOLDER --token TOKEN แล้วนำแฟลชไดรฟ์ไปให้ส่วนกลาง</translation>
    </message>
    <message>
        <source>If the central office gave you its certificate file, add --ca-bundle FILE.</source>
        <translation>ถ้าส่วนกลางให้ไฟล์ใบรับรองมา ให้เพิ่ม --ca-bundle FILE</translation>
    </message>
    <message>
        <source>The central collector refused the votes: the central office has revoked this kiosk. The votes are kept here. Ask the central office.</source>
        <translation>ระบบกลางไม่รับผลการประเมิน เพราะส่วนกลางได้ยกเลิกตู้ประเมินนี้แล้ว ผลการประเมินยังเก็บไว้ที่นี่ กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector does not know this kiosk (was it enrolled with another collector?). The votes are kept here. Ask the central office.</source>
        <translation>ระบบกลางไม่รู้จักตู้ประเมินนี้ (ลงทะเบียนไว้กับระบบกลางอื่นหรือไม่) ผลการประเมินยังเก็บไว้ที่นี่ กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The central collector refused the votes: they name another district office than the one this kiosk is enrolled for. The votes are kept here. Ask the central office.</source>
        <translation>ระบบกลางไม่รับผลการประเมิน เพราะระบุอำเภออื่น ไม่ใช่อำเภอที่ตู้ประเมินนี้ลงทะเบียนไว้ ผลการประเมินยังเก็บไว้ที่นี่ กรุณาติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled with the central collector yet: enrol it with sangsuk-kiosk enroll --collector URL --token TOKEN, or by USB stick with sangsuk-kiosk enroll-request --to FOLDER.</source>
        <translation>ตู้ประเมินนี้ยังไม่ได้ลงทะเบียนกับระบบกลาง ลงทะเบียนด้วยคำสั่ง sangsuk-kiosk enroll --collector URL --token TOKEN หรือลงทะเบียนด้วยแฟลชไดรฟ์ด้วยคำสั่ง sangsuk-kiosk enroll-request --to FOLDER</translation>
    </message>
    <message>
        <source>No internet for long? Take the votes by USB stick: sangsuk-kiosk export --to FOLDER.</source>
        <translation>ถ้าไม่มีอินเทอร์เน็ตเป็นเวลานาน ให้นำผลการประเมินไปด้วยแฟลชไดรฟ์: sangsuk-kiosk export --to FOLDER</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled, so it cannot check a receipt yet. If the central office&apos;s answer is on the stick, read it first (sangsuk-kiosk enroll-answer FOLDER), then import the receipt again.</source>
        <translation>ตู้ประเมินนี้ยังไม่ได้ลงทะเบียน จึงยังตรวจสอบใบตอบรับไม่ได้ หากคำตอบของส่วนกลางอยู่ในแฟลชไดรฟ์ ให้อ่านคำตอบก่อน (sangsuk-kiosk enroll-answer FOLDER) แล้วนำเข้าใบตอบรับอีกครั้ง</translation>
    </message>
    <message>
        <source>District: %1, size group %2.</source>
        <extracomment>%1 names the district office, %2 is its size group (small, medium or large).</extracomment>
        <translation>อำเภอ: %1 กลุ่มขนาด%2</translation>
    </message>
    <message>
        <source>District %1 (demo)</source>
        <translation>อำเภอ %1 (โหมดทดลอง)</translation>
    </message>
    <message>
        <source>District %1, size group %2</source>
        <translation>อำเภอ %1 กลุ่มขนาด%2</translation>
    </message>
    <message>
        <source>Collector: not enrolled</source>
        <translation>ระบบกลาง: ยังไม่ได้ลงทะเบียน</translation>
    </message>
    <message>
        <source>Collector: %1</source>
        <translation>ระบบกลาง: %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>ยังไม่เคย</translation>
    </message>
    <message>
        <source>Cast 1 demo vote for %1: vote %2.</source>
        <extracomment>%1 the district office, %2 the vote&apos;s number.</extracomment>
        <translation>บันทึกผลการประเมินทดลอง 1 รายการ สำหรับอำเภอ %1 แล้ว: ลำดับที่ %2</translation>
    </message>
    <message>
        <source>1 demo vote was set aside in %1; it will never be sent or counted. The ledger starts again at vote 1.</source>
        <translation>ผลการประเมินทดลอง 1 รายการถูกแยกเก็บไว้ใน %1 และจะไม่ถูกส่งหรือนับ ฐานข้อมูลผลการประเมินเริ่มใหม่ที่ลำดับที่ 1</translation>
    </message>
    <message>
        <source>Nothing to send: no votes have been cast yet.</source>
        <translation>ไม่มีอะไรต้องส่ง: ยังไม่มีผลการประเมิน</translation>
    </message>
    <message>
        <source>Nothing to send: the one vote is delivered.</source>
        <translation>ไม่มีอะไรต้องส่ง: ผลการประเมิน 1 รายการส่งถึงแล้ว</translation>
    </message>
    <message>
        <source>Sent 1 vote in 1 batch: %1 newly delivered, %2 still pending.</source>
        <translation>ส่งผลการประเมิน 1 รายการ ใน 1 ชุด: ส่งถึงใหม่ %1 รายการ ยังรอส่ง %2 รายการ</translation>
    </message>
    <message>
        <source>Sent %1 votes in 1 batch: %2 newly delivered, %3 still pending.</source>
        <translation>ส่งผลการประเมิน %1 รายการ ใน 1 ชุด: ส่งถึงใหม่ %2 รายการ ยังรอส่ง %3 รายการ</translation>
    </message>
    <message>
        <source>1 file was written and checked before that: %1</source>
        <translation>ก่อนหน้านั้นเขียนและตรวจสอบแล้ว 1 ไฟล์: %1</translation>
    </message>
    <message>
        <source>They stay pending until the collector&apos;s receipt is imported (sangsuk-kiosk import-receipt FILE).</source>
        <translation>ผลการประเมินยังนับว่ารอส่งจนกว่าจะนำเข้าใบตอบรับจากระบบกลาง (sangsuk-kiosk import-receipt FILE)</translation>
    </message>
    <message>
        <source>Exported 1 vote in 1 file to %1.</source>
        <extracomment>%1 is the folder (the USB stick).</extracomment>
        <translation>ส่งออกผลการประเมิน 1 รายการ ใน 1 ไฟล์ ไปที่ %1 แล้ว</translation>
    </message>
    <message>
        <source>Exported %1 votes in 1 file to %2.</source>
        <translation>ส่งออกผลการประเมิน %1 รายการ ใน 1 ไฟล์ ไปที่ %2 แล้ว</translation>
    </message>
    <message>
        <source>Exported %1 votes in %2 files to %3.</source>
        <translation>ส่งออกผลการประเมิน %1 รายการ ใน %2 ไฟล์ ไปที่ %3 แล้ว</translation>
    </message>
    <message>
        <source>All of them were delivered before and are sent again because the central office asked for them (it lost them when it was restored from a backup); none is pending. They stay on the list to send again until the collector&apos;s receipt is imported (sangsuk-kiosk import-receipt FILE).</source>
        <translation>ทุกรายการเคยส่งถึงแล้ว และส่งอีกครั้งเพราะส่วนกลางขอ (ส่วนกลางทำหายเมื่อกู้ข้อมูลจากสำเนาสำรอง) ไม่มีรายการค้างส่ง รายการเหล่านี้อยู่ในรายการที่ต้องส่งอีกครั้งจนกว่าจะนำเข้าใบตอบรับของเครื่องรับผล (sangsuk-kiosk import-receipt FILE)</translation>
    </message>
    <message>
        <source>The new ones stay pending, and those asked for again stay on the list to send again, until the collector&apos;s receipt is imported (sangsuk-kiosk import-receipt FILE).</source>
        <translation>รายการใหม่ยังนับว่าค้างส่ง และรายการที่ส่วนกลางขอให้ส่งอีกครั้งยังอยู่ในรายการที่ต้องส่งอีกครั้ง จนกว่าจะนำเข้าใบตอบรับของเครื่องรับผล (sangsuk-kiosk import-receipt FILE)</translation>
    </message>
    <message>
        <source>1 of them was delivered before and is sent again because the central office asked for it (it lost it when it was restored from a backup).</source>
        <translation>ในจำนวนนี้ 1 รายการเคยส่งถึงแล้ว และส่งอีกครั้งเพราะส่วนกลางขอ (ส่วนกลางทำหายเมื่อกู้ข้อมูลจากสำเนาสำรอง)</translation>
    </message>
    <message>
        <source>%1 of them were delivered before and are sent again because the central office asked for them (it lost them when it was restored from a backup).</source>
        <extracomment>%1 of the votes exported were delivered before and are sent again.</extracomment>
        <translation>ในจำนวนนี้ %1 รายการเคยส่งถึงแล้ว และส่งอีกครั้งเพราะส่วนกลางขอ (ส่วนกลางทำหายเมื่อกู้ข้อมูลจากสำเนาสำรอง)</translation>
    </message>
    <message>
        <source>The receipt %1 marked 1 vote as delivered; %2 still pending.</source>
        <translation>ใบตอบรับ %1 บันทึกว่าส่งถึงแล้ว 1 รายการ ยังรอส่ง %2 รายการ</translation>
    </message>
    <message>
        <source>--count must be at least 1.</source>
        <translation>--count ต้องเป็น 1 ขึ้นไป</translation>
    </message>
    <message>
        <source>Cast %1 demo votes for %2: votes %3 to %4.</source>
        <extracomment>%1 votes, %2 the district office, %3 and %4 the first and last vote&apos;s number.</extracomment>
        <translation>บันทึกผลการประเมินทดลอง %1 รายการ สำหรับอำเภอ %2 แล้ว: ลำดับที่ %3 ถึง %4</translation>
    </message>
    <message>
        <source>No kiosk ledger in %1 (expected %2 and %3).</source>
        <translation>ไม่พบฐานข้อมูลผลการประเมินของตู้ประเมินใน %1 (ต้องมี %2 และ %3)</translation>
    </message>
    <message>
        <source>Ledger OK: %1 votes; every signature, the chain, every stored column, the counts, the pending list, every delivery receipt and the schema agree (kiosk %2, %3).</source>
        <extracomment>%1 votes; %2 the kiosk&apos;s id, %3 its key fingerprint.</extracomment>
        <translation>ฐานข้อมูลผลการประเมินถูกต้อง: ผลการประเมิน %1 รายการ ลายเซ็นทุกรายการ สายโซ่ ทุกคอลัมน์ที่เก็บ ยอดนับ รายการรอส่ง ใบตอบรับการส่งทุกใบ และโครงสร้างฐานข้อมูล ตรงกันทั้งหมด (ตู้ประเมิน %2, %3)</translation>
    </message>
    <message>
        <source>Ledger OK: 1 vote; its signature, the chain, every stored column, the counts, the pending list, every delivery receipt and the schema agree (kiosk %1, %2).</source>
        <extracomment>%1 the kiosk&apos;s id, %2 its key fingerprint.</extracomment>
        <translation>ฐานข้อมูลผลการประเมินถูกต้อง: ผลการประเมิน 1 รายการ ลายเซ็น สายโซ่ ทุกคอลัมน์ที่เก็บ ยอดนับ รายการรอส่ง ใบตอบรับการส่งทุกใบ และโครงสร้างฐานข้อมูล ตรงกันทั้งหมด (ตู้ประเมิน %1, %2)</translation>
    </message>
    <message>
        <source>1 vote verified before it (kiosk %1, %2). Nothing was changed.</source>
        <translation>ผลการประเมิน 1 รายการก่อนหน้านั้นตรวจผ่าน (ตู้ประเมิน %1, %2) ไม่มีอะไรเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <extracomment>%1 is a note from the ledger check.</extracomment>
        <translation>หมายเหตุ: %1</translation>
    </message>
    <message>
        <source>Ledger NOT OK at vote %1 (%2): %3</source>
        <extracomment>%1 the vote&apos;s number, %2 where (a table), %3 what is wrong.</extracomment>
        <translation>ฐานข้อมูลผลการประเมินไม่ถูกต้องที่ผลการประเมินลำดับที่ %1 (%2): %3</translation>
    </message>
    <message>
        <source>Ledger NOT OK in %1: %2</source>
        <translation>ฐานข้อมูลผลการประเมินไม่ถูกต้องใน %1: %2</translation>
    </message>
    <message>
        <source>%1 votes verified before it (kiosk %2, %3). Nothing was changed.</source>
        <translation>ผลการประเมิน %1 รายการก่อนหน้านั้นตรวจผ่าน (ตู้ประเมิน %2, %3) ไม่มีอะไรเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>Enrolled kiosk %1 with the collector at %2.</source>
        <translation>ลงทะเบียนตู้ประเมิน %1 กับระบบกลาง %2 แล้ว</translation>
    </message>
    <message>
        <source>Collector key fingerprint %1: it must match the one on the enrollment sheet; receipts are trusted only when signed by this key.</source>
        <translation>ลายนิ้วมือกุญแจของระบบกลาง %1 ต้องตรงกับที่พิมพ์ในใบลงทะเบียน ตู้ประเมินจะเชื่อใบตอบรับที่ลงนามด้วยกุญแจนี้เท่านั้น</translation>
    </message>
    <message>
        <source>%1 demo votes were set aside in %2; they will never be sent or counted. The ledger starts again at vote 1.</source>
        <translation>ผลการประเมินทดลอง %1 รายการถูกแยกเก็บไว้ใน %2 และจะไม่ถูกส่งหรือนับ ฐานข้อมูลผลการประเมินเริ่มใหม่ที่ลำดับที่ 1</translation>
    </message>
    <message>
        <source>The enrollment request was not written to %1: %2</source>
        <extracomment>%1 is the folder (the USB stick), %2 why.</extracomment>
        <translation>ไม่ได้เขียนคำขอลงทะเบียนลงใน %1: %2</translation>
    </message>
    <message>
        <source>Wrote the enrollment request of kiosk %1 for %2 to %3.</source>
        <translation>เขียนคำขอลงทะเบียนของตู้ประเมิน %1 สำหรับอำเภอ %2 ลงใน %3 แล้ว</translation>
    </message>
    <message>
        <source>Take the stick to the central office. Bring back the answer it writes beside the request, and read it with: sangsuk-kiosk enroll-answer FOLDER</source>
        <translation>นำแฟลชไดรฟ์ไปให้ส่วนกลาง ส่วนกลางจะเขียนคำตอบไว้ข้างคำขอ นำกลับมาแล้วอ่านคำตอบด้วยคำสั่ง: sangsuk-kiosk enroll-answer FOLDER</translation>
    </message>
    <message>
        <source>Enrolled kiosk %1 by USB stick.</source>
        <translation>ลงทะเบียนตู้ประเมิน %1 ด้วยแฟลชไดรฟ์แล้ว</translation>
    </message>
    <message>
        <source>Collector key fingerprint %1: check that it is the one printed on the enrollment sheet. If it is not, tell the central office at once.</source>
        <translation>ลายนิ้วมือกุญแจของระบบกลาง %1 ตรวจว่าตรงกับที่พิมพ์ในใบลงทะเบียน หากไม่ตรง ให้แจ้งส่วนกลางทันที</translation>
    </message>
    <message>
        <source>Nothing to send: all %1 votes are delivered.</source>
        <translation>ไม่มีอะไรต้องส่ง: ผลการประเมินทั้ง %1 รายการส่งถึงแล้ว</translation>
    </message>
    <message>
        <source>The central office confirmed that it holds every vote of this kiosk.</source>
        <translation>ส่วนกลางยืนยันแล้วว่าได้รับผลการประเมินของเครื่องนี้ครบทุกรายการ</translation>
    </message>
    <message>
        <source>Sent %1 votes in %2 batches: %3 newly delivered, %4 still pending.</source>
        <translation>ส่งผลการประเมิน %1 รายการ ใน %2 ชุด: ส่งถึงใหม่ %3 รายการ ยังรอส่ง %4 รายการ</translation>
    </message>
    <message>
        <source>%1 of them were sent again because the central office asked for them, and it now holds them.</source>
        <translation>ในจำนวนนี้ %1 รายการเป็นการส่งซ้ำตามที่ส่วนกลางขอ และส่วนกลางได้รับแล้ว</translation>
    </message>
    <message>
        <source>Sending votes about every %1 s, longer after a failure; press Ctrl+C to stop.</source>
        <translation>ส่งผลการประเมินทุกประมาณ %1 วินาที (นานขึ้นหลังส่งไม่สำเร็จ) กด Ctrl+C เพื่อหยุด</translation>
    </message>
    <message>
        <source>%1 pending, %2 delivered; last sync %3.</source>
        <translation>รอส่ง %1 รายการ ส่งถึงแล้ว %2 รายการ ส่งล่าสุด %3</translation>
    </message>
    <message>
        <source>%1 pending, %2 delivered. %3</source>
        <extracomment>%3 says why sending stopped.</extracomment>
        <translation>รอส่ง %1 รายการ ส่งถึงแล้ว %2 รายการ %3</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>หยุดแล้ว</translation>
    </message>
    <message>
        <source>Kiosk %1 (id %2)</source>
        <translation>ตู้ประเมิน %1 (รหัสตู้ %2)</translation>
    </message>
    <message>
        <source>Software version: %1</source>
        <extracomment>%1 is the kiosk program&apos;s version, as the collector&apos;s kiosks page shows it.</extracomment>
        <translation>รุ่นโปรแกรม: %1</translation>
    </message>
    <message>
        <source>Votes: %1 in all, %2 delivered, %3 pending</source>
        <translation>ผลการประเมิน: ทั้งหมด %1 รายการ ส่งถึงแล้ว %2 รายการ รอส่ง %3 รายการ</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>ส่งล่าสุด: %1</translation>
    </message>
    <message>
        <source>1 vote to send again (the central office asked for it)</source>
        <translation>ต้องส่งซ้ำ 1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)</translation>
    </message>
    <message>
        <source>%1 votes to send again (the central office asked for them)</source>
        <translation>ต้องส่งซ้ำ %1 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)</translation>
    </message>
    <message>
        <source>Last error (%1): %2</source>
        <translation>ข้อผิดพลาดล่าสุด (%1): %2</translation>
    </message>
    <message>
        <source>The export to %1 stopped: %2</source>
        <extracomment>%1 is the folder (the USB stick), %2 why.</extracomment>
        <translation>การส่งออกไปที่ %1 หยุดลง: %2</translation>
    </message>
    <message>
        <source>%1 files were written and checked before that: %2</source>
        <translation>ก่อนหน้านั้นเขียนและตรวจสอบแล้ว %1 ไฟล์: %2</translation>
    </message>
    <message>
        <source>Nothing to export: every vote has been delivered.</source>
        <translation>ไม่มีอะไรต้องส่งออก ส่งผลการประเมินครบแล้ว</translation>
    </message>
    <message>
        <source>Wrote and checked %1</source>
        <translation>เขียนและตรวจสอบแล้ว %1</translation>
    </message>
    <message>
        <source>Wrote %1 (a summary for Excel)</source>
        <translation>เขียน %1 แล้ว (ไฟล์สรุปสำหรับ Excel)</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled: the collector counts these votes only once it is. Its enrollment request %1 is on the stick too: the central office imports it with the votes (sangsuk-collector import --token TOKEN, or --approve OFFICER); then read the answer back (sangsuk-kiosk enroll-answer FOLDER).</source>
        <translation>ตู้ประเมินนี้ยังไม่ได้ลงทะเบียน ระบบกลางจะนับผลการประเมินเหล่านี้ได้หลังลงทะเบียนตู้แล้วเท่านั้น จึงเขียนคำขอลงทะเบียน %1 ไว้ในแฟลชไดรฟ์ด้วย ส่วนกลางนำเข้าคำขอพร้อมผลการประเมิน (sangsuk-collector import --token TOKEN หรือ --approve OFFICER) แล้วอ่านคำตอบกลับที่ตู้ (sangsuk-kiosk enroll-answer FOLDER)</translation>
    </message>
    <message>
        <source>The receipt %1 was refused: %2</source>
        <translation>ไม่รับใบตอบรับ %1: %2</translation>
    </message>
    <message>
        <source>The receipt %1 marked %2 votes as delivered; %3 still pending.</source>
        <translation>ใบตอบรับ %1 บันทึกว่าส่งถึงแล้ว %2 รายการ ยังรอส่ง %3 รายการ</translation>
    </message>
    <message>
        <source>sangsuk-kiosk: this kiosk&apos;s files cannot be used; nothing was changed (%1)</source>
        <extracomment>%1 is what is wrong with the kiosk&apos;s key, ledger or settings, in English.</extracomment>
        <translation>sangsuk-kiosk: ใช้ไฟล์ของตู้ประเมินนี้ไม่ได้ ไม่มีอะไรเปลี่ยนแปลง (รายละเอียดภาษาอังกฤษ: %1)</translation>
    </message>
    <message>
        <source>The kiosk window is running on this tablet (process %1) and reads its settings only when it starts, so nothing was changed. Enrol from the clerk&apos;s Settings screen, or stop the kiosk first (sudo systemctl stop sangsuk-kiosk), run this command again, then start it (sudo systemctl start sangsuk-kiosk).</source>
        <extracomment>%1 is the process id of the kiosk window that runs on this data folder.</extracomment>
        <translation>หน้าจอตู้ประเมินเปิดทำงานอยู่บนแท็บเล็ตนี้ (โปรเซส %1) และอ่านการตั้งค่าเฉพาะตอนเริ่มทำงาน จึงยังไม่ได้เปลี่ยนแปลงอะไร ให้ลงทะเบียนจากหน้าตั้งค่าของเจ้าหน้าที่ หรือปิดตู้ก่อน (sudo systemctl stop sangsuk-kiosk) แล้วสั่งคำสั่งนี้อีกครั้ง จากนั้นเปิดตู้ (sudo systemctl start sangsuk-kiosk)</translation>
    </message>
    <message>
        <source>Campaign: %1 (year %2) ended on %3. Votes now count in no campaign until the central office sends the next one: ask the central office.</source>
        <extracomment>%1 the campaign&apos;s name, %2 its Buddhist-era year, %3 its last day.</extracomment>
        <translation>แคมเปญ: %1 (ปี พ.ศ. %2) สิ้นสุดแล้วเมื่อ %3 ผลการประเมินจะไม่นับเข้าแคมเปญใดจนกว่าส่วนกลางจะส่งแคมเปญถัดไปมา โปรดติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>Campaign: %1 (year %2) starts on %3; until then the kiosk shows the default welcome.</source>
        <extracomment>%1 the campaign&apos;s name, %2 its Buddhist-era year, %3 its first day.</extracomment>
        <translation>แคมเปญ: %1 (ปี พ.ศ. %2) เริ่มวันที่ %3 ก่อนถึงวันนั้นตู้แสดงคำต้อนรับทั่วไป</translation>
    </message>
    <message>
        <source>Campaign: %1 (year %2), from %3 to %4.</source>
        <extracomment>%1 the campaign&apos;s name, %2 its Buddhist-era year, %3 and %4 its first and last days.</extracomment>
        <translation>แคมเปญ: %1 (ปี พ.ศ. %2) ตั้งแต่ %3 ถึง %4</translation>
    </message>
    <message>
        <source>Campaign read from a USB stick on %1</source>
        <translation>อ่านแคมเปญจากแฟลชไดรฟ์เมื่อ %1</translation>
    </message>
    <message>
        <source>Campaign last heard from the central collector on %1</source>
        <translation>ได้รับแคมเปญจากระบบกลางล่าสุดเมื่อ %1</translation>
    </message>
    <message>
        <source>Campaign: none heard yet; the kiosk shows the default welcome.</source>
        <translation>แคมเปญ: ยังไม่ได้รับ ตู้แสดงคำต้อนรับทั่วไป</translation>
    </message>
    <message>
        <source>The campaign file %1 is not from this kiosk&apos;s central office and was not used: ask the central office.</source>
        <extracomment>%1 is the file&apos;s name, e.g. sangsuk-2570.campaign.json.</extracomment>
        <translation>ไฟล์แคมเปญ %1 ไม่ได้มาจากส่วนกลางของตู้นี้ จึงไม่ได้นำมาใช้ โปรดติดต่อส่วนกลาง</translation>
    </message>
    <message>
        <source>The campaign file %1 cannot be read and was not used.</source>
        <extracomment>%1 is the file&apos;s name, e.g. sangsuk-2570.campaign.json.</extracomment>
        <translation>อ่านไฟล์แคมเปญ %1 ไม่ได้ จึงไม่ได้นำมาใช้</translation>
    </message>
    <message>
        <source>This kiosk is not enrolled, so it cannot check a campaign file yet: enrol it first (sangsuk-kiosk enroll, or sangsuk-kiosk enroll-request by USB stick).</source>
        <translation>ตู้นี้ยังไม่ได้ลงทะเบียน จึงยังตรวจไฟล์แคมเปญไม่ได้ ให้ลงทะเบียนก่อน (sangsuk-kiosk enroll หรือ sangsuk-kiosk enroll-request ทางแฟลชไดรฟ์)</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Happy District kiosk</source>
        <translation>ตู้ประเมินอำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>LedgerFault</name>
    <message>
        <source>the ledger file cannot be read: %1</source>
        <translation>อ่านไฟล์ฐานข้อมูลผลการประเมินไม่ได้: %1</translation>
    </message>
    <message>
        <source>SQLite integrity check failed: %1</source>
        <translation>การตรวจความสมบูรณ์ของ SQLite ไม่ผ่าน: %1</translation>
    </message>
    <message>
        <source>the ledger has no record of its migrations: it was not made by the kiosk</source>
        <translation>ฐานข้อมูลผลการประเมินไม่มีบันทึกการปรับโครงสร้าง (migration) แสดงว่าไม่ได้สร้างโดยโปรแกรมตู้ประเมิน</translation>
    </message>
    <message>
        <source>the ledger was brought up to date by a newer version of the kiosk (migration %1); verify it with that version</source>
        <translation>ฐานข้อมูลผลการประเมินถูกปรับโครงสร้างโดยโปรแกรมตู้ประเมินรุ่นที่ใหม่กว่า (migration %1) กรุณาตรวจด้วยโปรแกรมรุ่นนั้น</translation>
    </message>
    <message>
        <source>the ledger&apos;s migrations %1 are not this version&apos;s %2</source>
        <translation>การปรับโครงสร้างของฐานข้อมูล %1 ไม่ตรงกับของโปรแกรมรุ่นนี้ %2</translation>
    </message>
    <message>
        <source>the %1 %2 is missing from the ledger</source>
        <translation>ไม่มี%1 %2 ในฐานข้อมูลผลการประเมิน</translation>
    </message>
    <message>
        <source>the %1 %2 is not as the ledger&apos;s schema made it</source>
        <translation>%1 %2 ไม่ตรงกับที่โครงสร้างของฐานข้อมูลสร้างไว้</translation>
    </message>
    <message>
        <source>the ledger holds a %1 %2 that its schema never made</source>
        <translation>ฐานข้อมูลผลการประเมินมี%1 %2 ที่โครงสร้างของฐานข้อมูลไม่เคยสร้าง</translation>
    </message>
    <message>
        <source>meta&apos;s %1 is %2, not this device key&apos;s %3</source>
        <translation>ค่า %1 ในตาราง meta เป็น %2 ไม่ใช่ %3 ของกุญแจเครื่องนี้</translation>
    </message>
    <message>
        <source>meta holds %1, which the kiosk never writes</source>
        <translation>ตาราง meta มีค่า %1 ซึ่งตู้ประเมินไม่เคยเขียน</translation>
    </message>
    <message>
        <source>vote %1 is missing (the next stored vote is %2)</source>
        <translation>ผลการประเมินลำดับที่ %1 หายไป (ลำดับถัดไปที่มีอยู่คือ %2)</translation>
    </message>
    <message>
        <source>vote %1&apos;s body is not stored as bytes</source>
        <translation>เนื้อหาของผลการประเมินลำดับที่ %1 ไม่ได้เก็บเป็นไบต์</translation>
    </message>
    <message>
        <source>vote %1 cannot be read: %2</source>
        <translation>อ่านผลการประเมินลำดับที่ %1 ไม่ได้: %2</translation>
    </message>
    <message>
        <source>vote %1 says it is vote %2</source>
        <translation>ผลการประเมินลำดับที่ %1 ระบุว่าตนเองเป็นลำดับที่ %2</translation>
    </message>
    <message>
        <source>vote %1 names kiosk %2, not this kiosk</source>
        <translation>ผลการประเมินลำดับที่ %1 ระบุตู้ประเมิน %2 ไม่ใช่ตู้นี้</translation>
    </message>
    <message>
        <source>the chain is broken between vote %1 and vote %2</source>
        <translation>สายโซ่ขาดระหว่างผลการประเมินลำดับที่ %1 และลำดับที่ %2</translation>
    </message>
    <message>
        <source>vote %1 is not stored in its canonical bytes</source>
        <translation>ผลการประเมินลำดับที่ %1 ไม่ได้เก็บในรูปแบบมาตรฐาน (canonical) ตามที่ลงลายเซ็นไว้</translation>
    </message>
    <message>
        <source>vote %1 has a bad signature</source>
        <translation>ลายเซ็นของผลการประเมินลำดับที่ %1 ไม่ถูกต้อง</translation>
    </message>
    <message>
        <source>vote %1 does not match its stored hash</source>
        <translation>ผลการประเมินลำดับที่ %1 ไม่ตรงกับค่าแฮชที่เก็บไว้</translation>
    </message>
    <message>
        <source>vote %1&apos;s stored %2 is %3, but its signed body says %4</source>
        <translation>ค่า %2 ที่เก็บไว้ของผลการประเมินลำดับที่ %1 เป็น %3 แต่เนื้อหาที่ลงลายเซ็นไว้ระบุว่า %4</translation>
    </message>
    <message>
        <source>vote %1 is neither delivered nor in undelivered: it would never be sent</source>
        <translation>ผลการประเมินลำดับที่ %1 ไม่ได้ส่งถึงแล้ว และไม่อยู่ในรายการรอส่ง (undelivered) จึงจะไม่ถูกส่งเลย</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered but is still in undelivered</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ยังอยู่ในรายการรอส่ง (undelivered)</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered, but receipt %2 is not in %3</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ไม่มีใบตอบรับ %2 ใน %3</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered, but receipt %2 cannot be checked: the kiosk&apos;s settings cannot be read (%3)</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ตรวจใบตอบรับ %2 ไม่ได้ เพราะอ่านการตั้งค่าของตู้ประเมินไม่ได้ (%3)</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered, but receipt %2 cannot be checked: this kiosk has no pinned collector key (it is not enrolled)</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ตรวจใบตอบรับ %2 ไม่ได้ เพราะตู้ประเมินนี้ไม่มีกุญแจของระบบกลางที่บันทึกไว้ (ยังไม่ได้ลงทะเบียน)</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered, but receipt %2 is not genuine: %3</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ใบตอบรับ %2 ไม่ใช่ของจริง: %3</translation>
    </message>
    <message>
        <source>vote %1 is marked delivered, but its receipt %2 did not accept it</source>
        <translation>ผลการประเมินลำดับที่ %1 ถูกบันทึกว่าส่งถึงแล้ว แต่ใบตอบรับ %2 ไม่ได้รับผลการประเมินนี้</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>อ่าน %1 ไม่ได้: %2</translation>
    </message>
    <message>
        <source>the collector&apos;s receipt %1 says it holds vote %2, but the ledger&apos;s last vote is %3: vote %2 was removed</source>
        <translation>ใบตอบรับ %1 ของระบบกลางระบุว่าได้รับผลการประเมินลำดับที่ %2 แล้ว แต่ลำดับสุดท้ายในฐานข้อมูลคือ %3 แสดงว่าลำดับที่ %2 ถูกลบออก</translation>
    </message>
    <message>
        <source>the collector&apos;s receipt %1 says it holds vote %2, but the ledger&apos;s last vote is %3: votes %4-%2 were removed</source>
        <translation>ใบตอบรับ %1 ของระบบกลางระบุว่าได้รับผลการประเมินลำดับที่ %2 แล้ว แต่ลำดับสุดท้ายในฐานข้อมูลคือ %3 แสดงว่าลำดับที่ %4-%2 ถูกลบออก</translation>
    </message>
    <message>
        <source>the high-water mark is missing or not one row</source>
        <translation>ค่าลำดับสูงสุดที่เคยบันทึก (high-water mark) หายไป หรือไม่ได้มีแถวเดียว</translation>
    </message>
    <message>
        <source>the ledger once held vote %1 (its high-water mark), but its last vote is %2: vote %1 was removed</source>
        <translation>ฐานข้อมูลเคยมีผลการประเมินลำดับที่ %1 (ค่าลำดับสูงสุดที่เคยบันทึก) แต่ลำดับสุดท้ายตอนนี้คือ %2 แสดงว่าลำดับที่ %1 ถูกลบออก</translation>
    </message>
    <message>
        <source>the ledger once held vote %1 (its high-water mark), but its last vote is %2: votes %3-%1 were removed</source>
        <translation>ฐานข้อมูลเคยมีผลการประเมินลำดับที่ %1 (ค่าลำดับสูงสุดที่เคยบันทึก) แต่ลำดับสุดท้ายตอนนี้คือ %2 แสดงว่าลำดับที่ %3-%1 ถูกลบออก</translation>
    </message>
    <message>
        <source>the high-water mark is %1, but the last vote is %2</source>
        <translation>ค่าลำดับสูงสุดที่เคยบันทึก (high-water mark) คือ %1 แต่ผลการประเมินลำดับสุดท้ายคือ %2</translation>
    </message>
    <message>
        <source>%1 names vote %2, which is not in the ledger</source>
        <translation>ตาราง %1 อ้างถึงผลการประเมินลำดับที่ %2 ซึ่งไม่มีในฐานข้อมูล</translation>
    </message>
    <message>
        <source>vote_counts says %1 is %2, but the votes say %3</source>
        <translation>ตาราง vote_counts ระบุว่า %1 เป็น %2 แต่นับจากผลการประเมินได้ %3</translation>
    </message>
    <message>
        <source>vote_counts says %1 is %2, but the votes say absent</source>
        <translation>ตาราง vote_counts ระบุว่า %1 เป็น %2 แต่ในผลการประเมินไม่มีค่านี้เลย</translation>
    </message>
    <message>
        <source>vote_counts says %1 is absent, but the votes say %2</source>
        <translation>ตาราง vote_counts ไม่มี %1 แต่นับจากผลการประเมินได้ %2</translation>
    </message>
    <message>
        <source>the ledger was made by an older version (migration %1 not yet applied); the kiosk brings it up to date the next time it starts</source>
        <translation>ฐานข้อมูลผลการประเมินสร้างโดยโปรแกรมรุ่นเก่ากว่า (ยังไม่ได้ปรับโครงสร้าง migration %1) ตู้ประเมินจะปรับให้เป็นปัจจุบันเมื่อเปิดครั้งถัดไป</translation>
    </message>
    <message>
        <source>it keeps no high-water mark yet, so a removed last vote is caught only against the collector&apos;s receipts</source>
        <translation>ฐานข้อมูลนี้ยังไม่มีค่าลำดับสูงสุดที่เคยบันทึก (high-water mark) การลบผลการประเมินลำดับสุดท้ายจึงตรวจพบได้จากใบตอบรับของระบบกลางเท่านั้น</translation>
    </message>
    <message>
        <source>table</source>
        <translation>ตาราง</translation>
    </message>
    <message>
        <source>index</source>
        <translation>ดัชนี</translation>
    </message>
    <message>
        <source>trigger</source>
        <translation>ทริกเกอร์</translation>
    </message>
    <message>
        <source>view</source>
        <translation>วิว</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>%1 digits typed</source>
        <translation>ใส่แล้ว %1 หลัก</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ตกลง</translation>
    </message>
    <message>
        <source>Enter the PIN</source>
        <translation>ยืนยันรหัส PIN</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>ลบตัวเลขตัวสุดท้าย</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <source>Too many wrong PINs. Try again in %1</source>
        <extracomment>The PIN pad is locked after wrong PINs; %1 is the time left, such as 0:28.</extracomment>
        <translation>ใส่รหัสผิดหลายครั้งเกินไป ลองใหม่ได้ในอีก %1</translation>
    </message>
    <message>
        <source>You can try again now.</source>
        <translation>ลองใส่รหัสใหม่ได้แล้ว</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <source>Wrong PIN. %1 more tries before the pad locks for a while.</source>
        <extracomment>A wrong clerk PIN; %1 is how many more tries are allowed before the pad locks.</extracomment>
        <translation>รหัสไม่ถูกต้อง ลองได้อีก %1 ครั้ง ก่อนแป้นจะล็อกชั่วคราว</translation>
    </message>
    <message>
        <source>District clerk</source>
        <translation>สำหรับเจ้าหน้าที่อำเภอ</translation>
    </message>
    <message>
        <source>Enter the clerk PIN</source>
        <translation>ใส่รหัส PIN ของเจ้าหน้าที่</translation>
    </message>
</context>
<context>
    <name>PlacePicker</name>
    <message>
        <source>Choose %1</source>
        <extracomment>The one province or district the typing leaves, on a button to choose it.</extracomment>
        <translation>เลือก %1</translation>
    </message>
    <message>
        <source>%1 found</source>
        <extracomment>How many provinces or districts the typing leaves, beside the field.</extracomment>
        <translation>พบ %1 ชื่อ</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>จังหวัด</translation>
    </message>
    <message>
        <source>District office</source>
        <translation>ที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Type to search</source>
        <translation>พิมพ์เพื่อค้นหา</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>How satisfied are you with our service today?</source>
        <translation>ท่านพึงพอใจการให้บริการในวันนี้เพียงใด</translation>
    </message>
    <message>
        <source>Tap the face that matches how you feel</source>
        <translation>แตะใบหน้าที่ตรงกับความรู้สึกของท่าน</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>พอใจมากที่สุด</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>พอใจมาก</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>พอใจปานกลาง</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>ไม่พอใจ</translation>
    </message>
    <message>
        <source>Very unsatisfied</source>
        <translation>ไม่พอใจมาก</translation>
    </message>
    <message>
        <source>Score %1 of 5</source>
        <extracomment>For screen readers, after the face&apos;s word: %1 is the score, 5 the best.</extracomment>
        <translation>คะแนน %1 จาก 5</translation>
    </message>
</context>
<context>
    <name>RosterForm</name>
    <message>
        <source>The current photo</source>
        <translation>รูปถ่ายเดิม</translation>
    </message>
    <message>
        <source>No photo (initials are shown)</source>
        <translation>ไม่มีรูป (แสดงอักษรย่อแทน)</translation>
    </message>
    <message>
        <source>New staff member</source>
        <translation>เพิ่มเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Edit staff member</source>
        <translation>แก้ไขข้อมูลเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>New unit</source>
        <translation>เพิ่มหน่วยงาน</translation>
    </message>
    <message>
        <source>Edit unit</source>
        <translation>แก้ไขหน่วยงาน</translation>
    </message>
    <message>
        <source>New service</source>
        <translation>เพิ่มบริการ</translation>
    </message>
    <message>
        <source>Edit service</source>
        <translation>แก้ไขบริการ</translation>
    </message>
    <message>
        <source>New impression tag</source>
        <translation>เพิ่มคำความประทับใจ</translation>
    </message>
    <message>
        <source>Edit impression tag</source>
        <translation>แก้ไขคำความประทับใจ</translation>
    </message>
    <message>
        <source>New concern tag</source>
        <translation>เพิ่มเรื่องที่ควรปรับปรุง</translation>
    </message>
    <message>
        <source>Edit concern tag</source>
        <translation>แก้ไขเรื่องที่ควรปรับปรุง</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ข้อความ</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>ชื่อ</translation>
    </message>
    <message>
        <source> (Thai)</source>
        <translation> (ภาษาไทย)</translation>
    </message>
    <message>
        <source> (English, optional)</source>
        <translation> (ภาษาอังกฤษ ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Position (Thai)</source>
        <translation>ตำแหน่ง (ภาษาไทย)</translation>
    </message>
    <message>
        <source>Position (English)</source>
        <translation>ตำแหน่ง (ภาษาอังกฤษ)</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>รูปถ่าย</translation>
    </message>
    <message>
        <source>Choose a photo…</source>
        <translation>เลือกรูปถ่าย…</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>ไม่ใช้รูป</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
</context>
<context>
    <name>RosterScreen</name>
    <message>
        <source>retired (kept for past votes)</source>
        <translation>เลิกใช้แล้ว (เก็บไว้สำหรับผลการประเมินเดิม)</translation>
    </message>
    <message>
        <source>Please type the name in Thai.</source>
        <translation>กรุณาพิมพ์ชื่อภาษาไทย</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>บันทึกแล้ว: %1</translation>
    </message>
    <message>
        <source>Retired: %1. Past votes still show the name.</source>
        <translation>เลิกใช้แล้ว: %1 ผลการประเมินเดิมยังแสดงชื่อนี้</translation>
    </message>
    <message>
        <source>Back on the kiosk: %1</source>
        <translation>นำกลับมาแสดงบนตู้แล้ว: %1</translation>
    </message>
    <message>
        <source>This cannot be saved: %1</source>
        <translation>บันทึกไม่ได้: %1</translation>
    </message>
    <message>
        <source>The roster could not be saved (%1). Nothing was changed.</source>
        <translation>บันทึกรายชื่อไม่สำเร็จ (%1) ยังไม่มีอะไรเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>The roster could not be saved. Nothing was changed.</source>
        <translation>บันทึกรายชื่อไม่สำเร็จ ยังไม่มีอะไรเปลี่ยนแปลง</translation>
    </message>
    <message>
        <source>Staff, units, services and tags</source>
        <translation>เจ้าหน้าที่ หน่วยงาน บริการ และคำให้เลือก</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>เจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>หน่วยงาน</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>บริการ</translation>
    </message>
    <message>
        <source>Impression tags</source>
        <translation>คำความประทับใจ</translation>
    </message>
    <message>
        <source>Concern tags</source>
        <extracomment>The tags offered after an unhappy face: long wait, unclear information …</extracomment>
        <translation>เรื่องที่ควรปรับปรุง</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>เพิ่ม</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>แก้ไข</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>เลิกใช้</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>นำกลับมาใช้</translation>
    </message>
</context>
<context>
    <name>SaveFailedScreen</name>
    <message>
        <source>For the district clerk: the kiosk&apos;s log has the details (%1)</source>
        <extracomment>Small print for the district clerk; %1 is a short code such as disk_full.</extracomment>
        <translation>สำหรับเจ้าหน้าที่อำเภอ: ดูรายละเอียดในบันทึกของตู้ประเมิน (%1)</translation>
    </message>
    <message>
        <source>Sorry, your feedback could not be saved just now.</source>
        <translation>ขออภัย ระบบไม่สามารถบันทึกความเห็นของท่านได้ในขณะนี้</translation>
    </message>
    <message>
        <source>Please tell a member of staff.</source>
        <translation>กรุณาแจ้งเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>ลองอีกครั้ง</translation>
    </message>
    <message>
        <source>Try again to save your feedback</source>
        <translation>ลองบันทึกความเห็นของท่านอีกครั้ง</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>ข้อความแจ้ง</translation>
    </message>
</context>
<context>
    <name>SavingScreen</name>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>The district office is now %1. The next citizen&apos;s vote is for it.</source>
        <extracomment>%1 is the new district office, with its province and code.</extracomment>
        <translation>ที่ว่าการอำเภอตอนนี้คือ %1 ผลการประเมินของประชาชนคนถัดไปจะเป็นของอำเภอนี้</translation>
    </message>
    <message>
        <source>The enrolment request written to a USB stick before names the old district office: write a new one. If the central office has already imported the old one, call them.</source>
        <translation>คำขอลงทะเบียนที่บันทึกลงแฟลชไดรฟ์ไว้ก่อนหน้านี้เป็นของอำเภอเดิม ให้บันทึกคำขอใหม่ ถ้าส่วนกลางนำเข้าคำขอเดิมไปแล้ว โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>The district office was not changed.</source>
        <translation>ไม่ได้เปลี่ยนที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Saved. The next citizen gets these settings.</source>
        <translation>บันทึกแล้ว ประชาชนคนถัดไปจะได้ใช้การตั้งค่านี้</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>บันทึกการตั้งค่าไม่สำเร็จ: %1</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>กำลังลงทะเบียน…</translation>
    </message>
    <message>
        <source>Enrolled. Votes will now be sent to the central office. The central collector&apos;s key fingerprint is %1: check that it is exactly the one printed on the enrollment sheet. If it is not, call the central office at once.</source>
        <extracomment>%1 is the collector key&apos;s fingerprint, e.g. 8E1B-0C55-3A7F-92D4.</extracomment>
        <translation>ลงทะเบียนแล้ว ผลการประเมินจะส่งไปส่วนกลาง ลายนิ้วมือกุญแจของระบบกลางคือ %1 ตรวจว่าตรงกับที่พิมพ์ในใบลงทะเบียนทุกตัวอักษร หากไม่ตรง ให้โทรแจ้งส่วนกลางทันที</translation>
    </message>
    <message>
        <source>Tap again to close the kiosk app. Citizens cannot vote until it is started again.</source>
        <translation>แตะอีกครั้งเพื่อปิดโปรแกรมตู้ ประชาชนจะประเมินไม่ได้จนกว่าจะเปิดโปรแกรมใหม่</translation>
    </message>
    <message>
        <source>Tap again to close</source>
        <translation>แตะอีกครั้งเพื่อปิด</translation>
    </message>
    <message>
        <source>This kiosk is enrolled: votes are sent to the central collector at %1.</source>
        <extracomment>%1 is the central collector&apos;s address.</extracomment>
        <translation>ตู้ประเมินนี้ลงทะเบียนแล้ว ส่งผลการประเมินไปยังระบบกลางที่ %1</translation>
    </message>
    <message>
        <source>Enrolled by USB stick: votes go to the central office on a stick.</source>
        <translation>ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว ส่งผลการประเมินให้ส่วนกลางด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Central collector&apos;s key fingerprint: %1 (it must match the enrollment sheet).
District office: %2.</source>
        <extracomment>%1 is the collector key&apos;s fingerprint, e.g. 8E1B-0C55-3A7F-92D4; %2 the district office, e.g. หัวตะพาน, อำนาจเจริญ (3706).</extracomment>
        <translation>ลายนิ้วมือกุญแจของระบบกลาง: %1 (ต้องตรงกับที่พิมพ์ในใบลงทะเบียน)
ที่ว่าการอำเภอ: %2</translation>
    </message>
    <message>
        <source>Keep this enrolment</source>
        <translation>ใช้การลงทะเบียนเดิมต่อ</translation>
    </message>
    <message>
        <source>Enrol again with a new token</source>
        <translation>ลงทะเบียนใหม่ด้วยรหัสลงทะเบียนใหม่</translation>
    </message>
    <message>
        <source>Enrol again only when the central office asks you to, with the new token it gives you: type the address and the token and tap “Enrol now”, or enrol by USB stick. Until then, votes still go where they go now.</source>
        <translation>ลงทะเบียนใหม่เฉพาะเมื่อส่วนกลางแจ้งให้ทำ ด้วยรหัสลงทะเบียนใหม่ที่ส่วนกลางให้มา: ใส่ที่อยู่และรหัสลงทะเบียน แล้วกด “ลงทะเบียนตอนนี้” หรือลงทะเบียนด้วยแฟลชไดรฟ์ ระหว่างนี้ผลการประเมินยังส่งไปที่เดิม</translation>
    </message>
    <message>
        <source>Not enrolled yet: votes stay on this kiosk until it is enrolled or they go out on a USB stick.</source>
        <translation>ยังไม่ได้ลงทะเบียน ผลการประเมินจะเก็บไว้ในตู้นี้จนกว่าจะลงทะเบียน หรือส่งออกด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
    <message>
        <source>Citizen screens</source>
        <translation>หน้าจอสำหรับประชาชน</translation>
    </message>
    <message>
        <source>Ask “still there?” after</source>
        <translation>ถาม “ท่านยังอยู่หรือไม่” หลังจาก</translation>
    </message>
    <message>
        <source>Pause between two votes</source>
        <translation>เว้นระยะระหว่างการประเมิน</translation>
    </message>
    <message>
        <source>Language for each new citizen</source>
        <translation>ภาษาเริ่มต้นสำหรับประชาชน</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>บันทึกการตั้งค่า</translation>
    </message>
    <message>
        <source>Central collector</source>
        <translation>ระบบกลาง</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>ที่อยู่</translation>
    </message>
    <message>
        <source>One-time token</source>
        <translation>รหัสลงทะเบียน</translation>
    </message>
    <message>
        <source>Send by itself every</source>
        <translation>ส่งผลเองทุก</translation>
    </message>
    <message>
        <source>Enrol now</source>
        <translation>ลงทะเบียนตอนนี้</translation>
    </message>
    <message>
        <source>PIN and kiosk mode</source>
        <translation>รหัส PIN และโหมดตู้</translation>
    </message>
    <message>
        <source>Change the PIN</source>
        <translation>เปลี่ยนรหัส PIN</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>ออกจากโหมดตู้</translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <source>Saving…</source>
        <translation>กำลังบันทึก…</translation>
    </message>
    <message>
        <source>The kiosk is set up. Next, add the staff and services.</source>
        <translation>ตั้งค่าตู้เรียบร้อยแล้ว ขั้นต่อไป เพิ่มรายชื่อเจ้าหน้าที่และบริการ</translation>
    </message>
    <message>
        <source>The kiosk is set up and enrolled. The central collector&apos;s key fingerprint is %1: check that it is exactly the one printed on the enrollment sheet; if it is not, call the central office at once. Next, add the staff and services.</source>
        <extracomment>%1 is the collector key&apos;s fingerprint, e.g. 8E1B-0C55-3A7F-92D4.</extracomment>
        <translation>ตั้งค่าและลงทะเบียนตู้แล้ว ลายนิ้วมือกุญแจของระบบกลางคือ %1 ตรวจว่าตรงกับที่พิมพ์ในใบลงทะเบียนทุกตัวอักษร หากไม่ตรง ให้โทรแจ้งส่วนกลางทันที ขั้นต่อไป เพิ่มรายชื่อเจ้าหน้าที่และบริการ</translation>
    </message>
    <message>
        <source>The kiosk is set up, but enrolling did not work: %1 You can enrol later in Settings.</source>
        <extracomment>%1 says why enrolling failed; setup itself succeeded.</extracomment>
        <translation>ตั้งค่าตู้เรียบร้อยแล้ว แต่ลงทะเบียนไม่สำเร็จ: %1 ลงทะเบียนภายหลังได้ที่หน้าตั้งค่า</translation>
    </message>
    <message>
        <source>Setup could not be saved, and nothing was changed: %1</source>
        <translation>บันทึกการตั้งค่าไม่สำเร็จ และยังไม่มีอะไรเปลี่ยนแปลง: %1</translation>
    </message>
    <message>
        <source>This screen: %1 × %2 pixels</source>
        <extracomment>%1 x %2 pixels</extracomment>
        <translation>หน้าจอนี้: %1 × %2 พิกเซล</translation>
    </message>
    <message>
        <source>, about %1 inches</source>
        <translation> ประมาณ %1 นิ้ว</translation>
    </message>
    <message>
        <source>It is large enough for the kiosk.</source>
        <translation>หน้าจอมีขนาดเพียงพอสำหรับตู้ประเมิน</translation>
    </message>
    <message>
        <source>The tablet stands upright: turn it on its side (landscape); the kiosk needs that.</source>
        <translation>แท็บเล็ตตั้งอยู่แนวตั้ง กรุณาหมุนเป็นแนวนอน ตู้ประเมินใช้ได้เฉพาะแนวนอน</translation>
    </message>
    <message>
        <source>It has fewer pixels than the kiosk needs (1024 × 600, landscape): citizens will see a notice instead of the questions. Use another tablet.</source>
        <translation>หน้าจอมีพิกเซลน้อยกว่าที่ตู้ประเมินต้องการ (1024 × 600 แนวนอน) ประชาชนจะเห็นข้อความแจ้งแทนคำถาม กรุณาใช้แท็บเล็ตเครื่องอื่น</translation>
    </message>
    <message>
        <source>It is smaller than a 10-inch tablet: faces and names may be hard to read and tap. You can carry on, but a larger screen is better.</source>
        <translation>หน้าจอเล็กกว่าแท็บเล็ต 10 นิ้ว ใบหน้าและชื่ออาจอ่านและแตะได้ยาก ทำต่อได้ แต่ควรใช้หน้าจอที่ใหญ่กว่านี้</translation>
    </message>
    <message>
        <source>District office: %1, %2 (%3)</source>
        <translation>ที่ว่าการอำเภอ: %1 จังหวัด%2 (%3)</translation>
    </message>
    <message>
        <source>Check it: once the kiosk is enrolled or a citizen has voted, only the central office can change it.</source>
        <translation>ตรวจให้ถูกต้อง เมื่อตู้ลงทะเบียนแล้วหรือมีประชาชนประเมินแล้ว จะเปลี่ยนได้โดยส่วนกลางเท่านั้น</translation>
    </message>
    <message>
        <source>Clerk PIN: set</source>
        <translation>รหัส PIN ของเจ้าหน้าที่: ตั้งแล้ว</translation>
    </message>
    <message>
        <source>Clerk PIN: not set</source>
        <translation>รหัส PIN ของเจ้าหน้าที่: ยังไม่ได้ตั้ง</translation>
    </message>
    <message>
        <source>Central collector: %1</source>
        <translation>ระบบกลาง: %1</translation>
    </message>
    <message>
        <source>Central collector: later</source>
        <translation>ระบบกลาง: ตั้งค่าภายหลัง</translation>
    </message>
    <message>
        <source>Enrol now with the one-time token.</source>
        <translation>ลงทะเบียนตอนนี้ด้วยรหัสลงทะเบียน</translation>
    </message>
    <message>
        <source>Enrol later (the kiosk works offline meanwhile).</source>
        <translation>ลงทะเบียนภายหลัง (ระหว่างนี้ตู้ทำงานได้โดยไม่ต้องใช้อินเทอร์เน็ต)</translation>
    </message>
    <message>
        <source>Note: the screen is smaller than recommended.</source>
        <translation>หมายเหตุ: หน้าจอเล็กกว่าขนาดที่แนะนำ</translation>
    </message>
    <message>
        <source>Votes cast in the demo are set aside and never sent.</source>
        <translation>ผลการประเมินจากการทดลองจะถูกแยกเก็บไว้และจะไม่ถูกส่ง</translation>
    </message>
    <message>
        <source>Set up the kiosk: the screen</source>
        <translation>ตั้งค่าตู้: หน้าจอ</translation>
    </message>
    <message>
        <source>Set up the kiosk: the district office</source>
        <translation>ตั้งค่าตู้: ที่ว่าการอำเภอ</translation>
    </message>
    <message>
        <source>Set up the kiosk: the clerk PIN</source>
        <translation>ตั้งค่าตู้: รหัส PIN ของเจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Set up the kiosk: the central collector</source>
        <translation>ตั้งค่าตู้: ระบบกลาง</translation>
    </message>
    <message>
        <source>Set up the kiosk: check and finish</source>
        <translation>ตั้งค่าตู้: ตรวจสอบและเสร็จสิ้น</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <extracomment>%1 is this step&apos;s number, %2 how many there are.</extracomment>
        <translation>ขั้นตอนที่ %1 จาก %2</translation>
    </message>
    <message>
        <source>Enter the new PIN again</source>
        <translation>ใส่รหัส PIN อีกครั้ง</translation>
    </message>
    <message>
        <source>Choose a clerk PIN of 6 to 12 digits</source>
        <translation>ตั้งรหัส PIN ของเจ้าหน้าที่ เป็นตัวเลข 6 ถึง 12 หลัก</translation>
    </message>
    <message>
        <source>The central office gives the collector&apos;s address and a one-time token. Without internet, choose Later: the kiosk works offline, and is enrolled by USB stick in Settings.</source>
        <translation>ส่วนกลางจะแจ้งที่อยู่ระบบกลางและรหัสลงทะเบียนแบบใช้ครั้งเดียว ถ้าไม่มีอินเทอร์เน็ต ให้เลือก ภายหลัง ตู้ยังทำงานได้ และลงทะเบียนด้วยแฟลชไดรฟ์ได้ที่หน้า “ตั้งค่า”</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>ที่อยู่</translation>
    </message>
    <message>
        <source>One-time token</source>
        <translation>รหัสลงทะเบียน</translation>
    </message>
    <message>
        <source>Enrol now</source>
        <translation>ลงทะเบียนตอนนี้</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>ภายหลัง</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>กลับสู่หน้าประเมิน</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>ย้อนกลับ</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>เสร็จสิ้น</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>ถัดไป</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message>
        <source>%1 min</source>
        <extracomment>A number of minutes on the settings screen.</extracomment>
        <translation>%1 นาที</translation>
    </message>
    <message>
        <source>%1 s</source>
        <extracomment>A number of seconds on the settings screen.</extracomment>
        <translation>%1 วินาที</translation>
    </message>
</context>
<context>
    <name>StillThereOverlay</name>
    <message>
        <source>The screen will start over in 1 second</source>
        <translation>หน้าจอจะเริ่มใหม่ใน 1 วินาที</translation>
    </message>
    <message>
        <source>The screen will start over in %1 seconds</source>
        <extracomment>%1 is a number of seconds other than 1 (which has a string of its own).</extracomment>
        <translation>หน้าจอจะเริ่มใหม่ใน %1 วินาที</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>ท่านยังอยู่หรือไม่</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>ยังอยู่</translation>
    </message>
</context>
<context>
    <name>StoryField</name>
    <message>
        <source>Your story</source>
        <translation>เรื่องราวของท่าน</translation>
    </message>
    <message>
        <source>Type your story with the keyboard below (optional)</source>
        <translation>พิมพ์เรื่องราวของท่านด้วยแป้นพิมพ์ด้านล่าง (ไม่บังคับ)</translation>
    </message>
</context>
<context>
    <name>TargetScreen</name>
    <message>
        <source>%1 more</source>
        <extracomment>The chip that opens the services a short screen folds away; %1 is how many.</extracomment>
        <translation>อีก %1 เรื่อง</translation>
    </message>
    <message>
        <source>and %1 more; swipe the list to see them</source>
        <extracomment>Read aloud after the first names of a long list; %1 is how many were not read.</extracomment>
        <translation>และอีก %1 รายการ เลื่อนรายชื่อเพื่อดูทั้งหมด</translation>
    </message>
    <message>
        <source>Who served you today?</source>
        <translation>ท่านได้รับบริการจากใคร</translation>
    </message>
    <message>
        <source>What did you come for? (optional)</source>
        <translation>มาติดต่อเรื่อง (ไม่บังคับ)</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>เจ้าหน้าที่</translation>
    </message>
    <message>
        <source>Or the unit that served you</source>
        <translation>หรือเลือกงานที่ให้บริการ</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>ไม่แน่ใจ</translation>
    </message>
    <message>
        <source>Skip this question</source>
        <translation>ข้ามข้อนี้</translation>
    </message>
    <message>
        <source>All</source>
        <extracomment>The first chip of the index of first letters over a long list of staff.</extracomment>
        <translation>ทั้งหมด</translation>
    </message>
    <message>
        <source>All staff</source>
        <translation>เจ้าหน้าที่ทั้งหมด</translation>
    </message>
    <message>
        <source>Names starting with %1</source>
        <extracomment>A chip of the index of first letters; %1 is the letter (ก, or K).</extracomment>
        <translation>ชื่อขึ้นต้นด้วย %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <extracomment>The chip that turns to the next page of letters; %1 and %2 are its first and last.</extracomment>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Letters %1 to %2</source>
        <extracomment>The name a screen reader gives the chip to the next page of letters.</extracomment>
        <translation>ตัวอักษร %1 ถึง %2</translation>
    </message>
    <message>
        <source>Shows more letters</source>
        <translation>แสดงตัวอักษรถัดไป</translation>
    </message>
    <message>
        <source>Shows the first letters again</source>
        <translation>กลับไปตัวอักษรชุดแรก</translation>
    </message>
</context>
<context>
    <name>ThaiKeyboard</name>
    <message>
        <source>On-screen keyboard</source>
        <translation>แป้นพิมพ์บนหน้าจอ</translation>
    </message>
    <message>
        <source>↑ Shift</source>
        <extracomment>The Shift key&apos;s label; keep the arrow (the font has no ⇧).</extracomment>
        <translation>↑ ยกแคร่</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>ยกแคร่</translation>
    </message>
    <message>
        <source>Types the upper character of the next key</source>
        <translation>พิมพ์อักษรตัวบนของแป้นถัดไป</translation>
    </message>
    <message>
        <source>← Delete</source>
        <extracomment>The Backspace key&apos;s label: it deletes the character before the caret.</extracomment>
        <translation>← ลบ</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>ลบ</translation>
    </message>
    <message>
        <source>Deletes the last character typed</source>
        <translation>ลบตัวอักษรตัวสุดท้ายที่พิมพ์</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>เว้นวรรค</translation>
    </message>
    <message>
        <source>Switch the keyboard to English</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ</translation>
    </message>
    <message>
        <source>Switch the keyboard to Thai</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาไทย</translation>
    </message>
    <message>
        <source>No characters left</source>
        <translation>พิมพ์ครบจำนวนแล้ว</translation>
    </message>
    <message>
        <source>1 character left</source>
        <translation>เหลืออีก 1 ตัวอักษร</translation>
    </message>
    <message>
        <source>%1 characters left</source>
        <extracomment>%1 is a number of 2 or more; 1 and 0 have strings of their own.</extracomment>
        <translation>เหลืออีก %1 ตัวอักษร</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you for your feedback</source>
        <translation>ขอบคุณที่ร่วมประเมิน</translation>
    </message>
    <message>
        <source>Your answers have been saved.</source>
        <translation>บันทึกความเห็นของท่านเรียบร้อยแล้ว</translation>
    </message>
    <message>
        <source>Happy District — Happiness can be built</source>
        <translation>อำเภอสร้างสุข — สุข สร้าง ได้</translation>
    </message>
    <message>
        <source>Less suffering, more happiness</source>
        <translation>ทุกข์น้อยลง สุขมากขึ้น</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>TooSmallPage</name>
    <message>
        <source>This screen is too small for the kiosk</source>
        <translation>หน้าจอนี้เล็กเกินไปสำหรับตู้ประเมิน</translation>
    </message>
    <message>
        <source>Please turn the tablet on its side (landscape)</source>
        <translation>กรุณาหมุนแท็บเล็ตเป็นแนวนอน</translation>
    </message>
    <message>
        <source>The kiosk needs at least %1 × %2 pixels, landscape, on a %3-inch screen</source>
        <translation>ตู้ประเมินต้องใช้หน้าจออย่างน้อย %1 × %2 พิกเซล แนวนอน ขนาด %3 นิ้วขึ้นไป</translation>
    </message>
    <message>
        <source>This screen: %1 × %2 pixels</source>
        <translation>หน้าจอนี้: %1 × %2 พิกเซล</translation>
    </message>
    <message>
        <source>about %1 inches</source>
        <translation>ประมาณ %1 นิ้ว</translation>
    </message>
    <message>
        <source>For staff: use a 10-inch tablet or larger. Votes already saved are kept.</source>
        <translation>สำหรับเจ้าหน้าที่: ใช้แท็บเล็ตขนาด 10 นิ้วขึ้นไป ความเห็นที่บันทึกไว้แล้วยังอยู่ครบ</translation>
    </message>
</context>
<context>
    <name>UpdatesCard</name>
    <message>
        <source>Checking for updates…</source>
        <translation>กำลังตรวจหาอัปเดต…</translation>
    </message>
    <message>
        <source>The check stopped because of an unexpected error: see the kiosk&apos;s log.</source>
        <translation>การตรวจหยุดลงเพราะเกิดข้อผิดพลาดที่ไม่คาดคิด: ดูบันทึกของตู้</translation>
    </message>
    <message>
        <source>Nothing to check: this kiosk is not enrolled with the central office and no USB stick with a sangsuk-updates folder is plugged in.</source>
        <translation>ไม่มีที่ให้ตรวจ: ตู้นี้ยังไม่ได้ลงทะเบียนกับสำนักงานกลาง และไม่ได้เสียบแฟลชไดรฟ์ที่มีโฟลเดอร์ sangsuk-updates</translation>
    </message>
    <message>
        <source>Version %1 is ready. It is installed when nobody is voting.</source>
        <extracomment>%1 is a version number, e.g. 1.4.0.</extracomment>
        <translation>รุ่น %1 พร้อมแล้ว จะติดตั้งเมื่อไม่มีผู้ใช้ตู้</translation>
    </message>
    <message>
        <source>The update was refused: the reason is above.</source>
        <translation>ไม่รับอัปเดตนี้: ดูเหตุผลด้านบน</translation>
    </message>
    <message>
        <source>Checked: nothing new to install.</source>
        <translation>ตรวจแล้ว: ไม่มีรุ่นใหม่ให้ติดตั้ง</translation>
    </message>
    <message>
        <source>Version %1. Updates are not managed on this kiosk.</source>
        <extracomment>One quiet line where the kiosk was not installed by deploy/install.sh.</extracomment>
        <translation>รุ่น %1 ตู้นี้ไม่ได้ติดตั้งแบบรับอัปเดต</translation>
    </message>
    <message>
        <source>Running version: %1</source>
        <translation>รุ่นที่ใช้อยู่: %1</translation>
    </message>
    <message>
        <source>Waiting to install: %1 (from %2), when nobody is voting</source>
        <extracomment>%1 is the version, %2 where it came from (the collector&apos;s address or the stick).</extracomment>
        <translation>รอติดตั้ง: %1 (จาก %2) เมื่อไม่มีผู้ใช้ตู้</translation>
    </message>
    <message>
        <source>Nothing waiting to install.</source>
        <translation>ไม่มีรุ่นที่รอติดตั้ง</translation>
    </message>
    <message>
        <source>Last check: not yet.</source>
        <translation>ตรวจล่าสุด: ยังไม่เคยตรวจ</translation>
    </message>
    <message>
        <source>Last check (%1): %2</source>
        <extracomment>%1 is when, %2 what the check found.</extracomment>
        <translation>ตรวจล่าสุด (%1): %2</translation>
    </message>
    <message>
        <source>Last check (%1), refused: %2</source>
        <extracomment>%1 is when, %2 why the update was refused.</extracomment>
        <translation>ตรวจล่าสุด (%1) ไม่รับอัปเดต: %2</translation>
    </message>
    <message>
        <source>Last refused (%1): %2</source>
        <extracomment>%1 is when, %2 why the update was refused.</extracomment>
        <translation>ไม่รับอัปเดตล่าสุด (%1): %2</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>อัปเดตโปรแกรม</translation>
    </message>
    <message>
        <source>Check now</source>
        <translation>ตรวจเดี๋ยวนี้</translation>
    </message>
</context>
<context>
    <name>UsbEnrollment</name>
    <message>
        <source>No USB stick was found. Plug one in and try again.</source>
        <translation>ไม่พบแฟลชไดรฟ์ เสียบแฟลชไดรฟ์แล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <source>Writing to the USB stick…</source>
        <translation>กำลังบันทึกลงแฟลชไดรฟ์…</translation>
    </message>
    <message>
        <source>The enrollment request %1 is on the USB stick (kiosk %2). Send the stick to the central office; when it comes back, tap “Read the answer”.</source>
        <extracomment>%1 is the request&apos;s file name on the stick, %2 the kiosk&apos;s fingerprint.</extracomment>
        <translation>บันทึกคำขอลงทะเบียน %1 ลงแฟลชไดรฟ์แล้ว (ตู้ %2) ส่งแฟลชไดรฟ์ให้ส่วนกลาง เมื่อได้คืนแล้ว ให้แตะ “อ่านคำตอบ”</translation>
    </message>
    <message>
        <source>Reading the answer…</source>
        <translation>กำลังอ่านคำตอบ…</translation>
    </message>
    <message>
        <source>Enrolled by USB stick. The central collector&apos;s key fingerprint is %1: check that it is exactly the one printed on the enrollment sheet. If it is not, call the central office at once.</source>
        <extracomment>%1 is the collector key&apos;s fingerprint, e.g. 8E1B-0C55-3A7F-92D4.</extracomment>
        <translation>ลงทะเบียนด้วยแฟลชไดรฟ์แล้ว ลายนิ้วมือกุญแจของระบบกลางคือ %1 ตรวจว่าตรงกับที่พิมพ์ในใบลงทะเบียนทุกตัวอักษร หากไม่ตรง ให้โทรแจ้งส่วนกลางทันที</translation>
    </message>
    <message>
        <source>This kiosk is still in demo mode: set it up for its district first.</source>
        <translation>ตู้นี้ยังอยู่ในโหมดสาธิต ตั้งค่าอำเภอของตู้ก่อน</translation>
    </message>
    <message>
        <source>Writing to the USB stick failed (was it pulled out, or is it full?). Plug it in and try again.</source>
        <translation>บันทึกลงแฟลชไดรฟ์ไม่สำเร็จ (ถูกถอดออก หรือเต็มหรือไม่) เสียบแฟลชไดรฟ์แล้วลองอีกครั้ง</translation>
    </message>
    <message>
        <source>There is no answer for this kiosk on the USB stick yet. Has the central office imported the request?</source>
        <translation>ยังไม่มีคำตอบสำหรับตู้นี้ในแฟลชไดรฟ์ ส่วนกลางนำเข้าคำขอแล้วหรือยัง</translation>
    </message>
    <message>
        <source>This kiosk has not written an enrollment request, so it accepts no answer. Write the request first.</source>
        <translation>ตู้นี้ยังไม่ได้บันทึกคำขอลงทะเบียน จึงไม่รับคำตอบใด ๆ บันทึกคำขอก่อน</translation>
    </message>
    <message>
        <source>This answer is for another kiosk (or for this kiosk&apos;s old key). Nothing was changed. Check the stick, or ask the central office.</source>
        <translation>คำตอบนี้เป็นของตู้อื่น (หรือของกุญแจเดิมของตู้นี้) ไม่มีการเปลี่ยนแปลงใด ๆ ตรวจแฟลชไดรฟ์ หรือสอบถามส่วนกลาง</translation>
    </message>
    <message>
        <source>This answer was changed after the central office signed it, or is not signed by a central collector. Nothing was changed. Ask for a new answer.</source>
        <translation>คำตอบนี้ถูกแก้ไขหลังจากส่วนกลางลงนาม หรือไม่ได้ลงนามโดยระบบกลาง ไม่มีการเปลี่ยนแปลงใด ๆ ขอคำตอบใหม่</translation>
    </message>
    <message>
        <source>This answer is signed by another central collector than the one this kiosk trusts. Nothing was changed. Call the central office.</source>
        <translation>คำตอบนี้ลงนามโดยระบบกลางอื่น ไม่ใช่ระบบที่ตู้นี้เชื่อถือ ไม่มีการเปลี่ยนแปลงใด ๆ โทรแจ้งส่วนกลาง</translation>
    </message>
    <message>
        <source>This answer belongs to an older enrollment request of this kiosk. Nothing was changed. Take the latest request to the central office.</source>
        <translation>คำตอบนี้เป็นของคำขอลงทะเบียนฉบับเก่าของตู้นี้ ไม่มีการเปลี่ยนแปลงใด ๆ นำคำขอฉบับล่าสุดไปให้ส่วนกลาง</translation>
    </message>
    <message>
        <source>The file on the USB stick is not a valid enrollment answer. Nothing was changed.</source>
        <translation>ไฟล์ในแฟลชไดรฟ์ไม่ใช่คำตอบการลงทะเบียนที่ถูกต้อง ไม่มีการเปลี่ยนแปลงใด ๆ</translation>
    </message>
    <message>
        <source>No internet? Enrol by USB stick</source>
        <translation>ไม่มีอินเทอร์เน็ต? ลงทะเบียนด้วยแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Type the token above if you have one, plug in a USB stick and write the enrollment request to it. The central office writes its answer on the stick; read it here to enrol.</source>
        <translation>หากมีรหัสลงทะเบียน ให้พิมพ์ในช่องด้านบน เสียบแฟลชไดรฟ์แล้วบันทึกคำขอลงทะเบียนลงไป ส่วนกลางจะบันทึกคำตอบลงในแฟลชไดรฟ์ แล้วอ่านคำตอบที่นี่เพื่อลงทะเบียน</translation>
    </message>
    <message>
        <source>Write the request to the stick</source>
        <translation>บันทึกคำขอลงแฟลชไดรฟ์</translation>
    </message>
    <message>
        <source>Read the answer</source>
        <translation>อ่านคำตอบ</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Happy District — Happiness can be built</source>
        <translation>อำเภอสร้างสุข — สุข สร้าง ได้</translation>
    </message>
    <message>
        <source>%1 District, %2</source>
        <translation>อำเภอ%1 จังหวัด%2</translation>
    </message>
    <message>
        <source>Tap to rate our service</source>
        <translation>แตะเพื่อประเมินความพึงพอใจ</translation>
    </message>
    <message>
        <source>Starts a short survey. You are not asked who you are.</source>
        <translation>เริ่มแบบประเมินสั้น ๆ โดยไม่ต้องระบุตัวตน</translation>
    </message>
    <message>
        <source>Less suffering, more happiness</source>
        <translation>ทุกข์น้อยลง สุขมากขึ้น</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>ตัวอย่าง</translation>
    </message>
    <message>
        <source>Demo district: for trying out the kiosk</source>
        <translation>อำเภอตัวอย่าง สำหรับทดลองใช้ตู้ประเมิน</translation>
    </message>
    <message>
        <source>Please wait a moment before the next rating</source>
        <translation>กรุณารอสักครู่ แล้วแตะเพื่อเริ่มใหม่</translation>
    </message>
    <message>
        <source>This kiosk cannot record feedback right now. Please tell a member of staff. (%1)</source>
        <extracomment>The ledger could not be opened; %1 is a short code for the district clerk.</extracomment>
        <translation>ขออภัย ตู้ประเมินนี้ยังบันทึกความเห็นไม่ได้ในขณะนี้ กรุณาแจ้งเจ้าหน้าที่ (%1)</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
</TS>
